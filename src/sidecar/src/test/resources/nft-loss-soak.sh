#!/bin/bash
# Run from the repository after mvn package, as root. Kernel-dropped loss in cluster mode, as an operator would see it:
# N pulse run processes (jar, keys, one broker), every UDP datagram to them dropped with probability LOSS % by an
# nftables input hook for MINUTES, then healed. A healthy cluster under loss: 0 FailureMessages expected.
# Prints the events on the topics and the CPU each member used during the soak.
#   PROFILE=fast N=20 LOSS=10 MINUTES=10 bash src/sidecar/src/test/resources/nft-loss-soak.sh
set -u
JAR=${JAR:-$PWD/target/pulse.jar}
PROFILE=${PROFILE:-lan}; N=${N:-20}; LOSS=${LOSS:-10}; MINUTES=${MINUTES:-10}
command -v nft > /dev/null || { echo "needs nftables (apt-get install nftables) and root"; exit 2; }
[ "$N" -ge 3 ] && [ "$N" -le 100 ] || { echo "N must be in 3..100"; exit 2; }
DIR=$(mktemp -d /tmp/pulse-soak-XXXX); cd $DIR
java -jar $JAR keys generate --primary --output keys > /dev/null
udp() { echo $((27100 + $1)); }
http() { echo $((28100 + $1)); }
common="--set cluster.enabled=true --set security.keys.file=$DIR/keys --set detector.profile=$PROFILE"
java -jar $JAR run --embedded-kafka $common --set node.bind=127.0.0.1:$(udp 0) --set http.bind=127.0.0.1:$(http 0) \
  --set outbox.dir=$DIR/o0 > n0.log 2>&1 &
echo $! > pids
for t in $(seq 1 120); do BS=$(grep -o "embedded Kafka broker on [^ ]*" n0.log | awk '{print $5}'); [ -n "$BS" ] && break; sleep 1; done
echo "broker $BS, profile $PROFILE, $N members, $LOSS % loss for $MINUTES min, in $DIR"
java -jar $JAR tail -b $BS --json --from-beginning > tail.log 2> tail.err &
TAIL=$!
# an interrupted run must not leave the kernel dropping datagrams, nor processes behind
trap 'nft delete table inet pulseloss 2> /dev/null; kill $(cat pids) $TAIL 2> /dev/null' EXIT
# one member at a time, each started before the next: 2 cores starting many JVMs at once starve them all
for i in $(seq 1 $((N - 1))); do
  java -jar $JAR run $common --set kafka.bootstrap.servers=$BS --set cluster.join=127.0.0.1:$(udp 0) \
    --set node.bind=127.0.0.1:$(udp $i) --set http.bind=127.0.0.1:$(http $i) --set outbox.dir=$DIR/o$i > n$i.log 2>&1 &
  echo $! >> pids
  for t in $(seq 1 120); do grep -qs "running: udp" n$i.log && break; sleep 0.5; done
done
alive() { java -jar $JAR members --api 127.0.0.1:$(http $1) --json 2> /dev/null | grep -o '"state": *"ALIVE"' | wc -l; }
for t in $(seq 1 120); do n=$(alive 0); [ "$n" -ge "$N" ] && break; sleep 2; done
echo "$(date +%T) all $N ALIVE at member 0: $n"
sleep 30
STARTUP_FAILURES=$(grep -c '"failure"' tail.log)
echo "FailureMessages while the members started: $STARTUP_FAILURES"
grep '"failure"' tail.log | grep -o '"nodeId": *"[^"]*"' | sort | uniq -c
cpu() { for p in $(cat pids); do awk '{print $14 + $15}' /proc/$p/stat; done | paste -sd+ | bc; }
BEFORE=$(cpu); RECORDS_BEFORE=$(wc -l < tail.log)
nft delete table inet pulseloss 2> /dev/null # left by an earlier run
nft add table inet pulseloss
nft add chain inet pulseloss input '{ type filter hook input priority 0; }'
nft add rule inet pulseloss input udp dport $(udp 0)-$(udp $((N - 1))) numgen random mod 100 "<" $LOSS counter drop
echo "$(date +%T) dropping $LOSS % of datagrams to udp $(udp 0)-$(udp $((N - 1)))"
sleep $((MINUTES * 60))
AFTER=$(cpu)
nft list table inet pulseloss | grep -o "counter.*"; nft delete table inet pulseloss
echo "$(date +%T) healed"
sleep 10
echo "records during and after the soak: $(( $(wc -l < tail.log) - RECORDS_BEFORE )) (heartbeats excluded from tail)"
echo "FailureMessages during and after the soak: $(tail -n +$((RECORDS_BEFORE + 1)) tail.log | grep -c '"failure"')"
tail -n +$((RECORDS_BEFORE + 1)) tail.log | grep '"failure"' | grep -o '"nodeId": *"[^"]*"' | sort | uniq -c
echo "status changes during and after the soak:"; tail -n +$((RECORDS_BEFORE + 1)) tail.log | grep '"status"' \
  | grep -o '"nodeId": *"[^"]*", *"previous": *"[^"]*", *"current": *"[^"]*"' | sort | uniq -c
TICKS=$(getconf CLK_TCK)
awk "BEGIN{printf \"CPU per member during the soak: %.2f %% of a core\n\", ($AFTER - $BEFORE) / $TICKS / ($MINUTES * 60) / $N * 100}"
echo "ALIVE at member 0 now: $(alive 0) of $N; at member $((N - 1)): $(alive $((N - 1)))"
echo "configuration at member 0:"; java -jar $JAR members --api 127.0.0.1:$(http 0) 2> /dev/null | head -2
kill $(cat pids) $TAIL
for t in $(seq 1 60); do left=$(for p in $(cat pids); do kill -0 $p 2> /dev/null && echo $p; done); [ -z "$left" ] && break; sleep 0.5; done
if [ -n "$left" ]; then
  for p in $left; do jstack $p > $DIR/jstack-$p.txt 2>&1; done
  echo "still running 30 s after SIGTERM (thread dumps in $DIR/jstack-*.txt), killed:" $left; kill -9 $left
fi
nft list tables
