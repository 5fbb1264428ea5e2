#!/bin/bash
# Run from the repository after mvn package, as root. Real-socket partition as an operator would see it: 10 pulse run processes (jar), keys, one broker;
# members 8-10 cut off (nftables input hook, UDP both ways) for 30 s, then healed.
set -u
JAR=${JAR:-$PWD/target/pulse.jar}
command -v nft > /dev/null || { echo "needs nftables (apt-get install nftables) and root"; exit 2; }
DIR=$(mktemp -d /tmp/pulse-partition-XXXX); cd $DIR
java -jar $JAR keys generate --primary --output keys > /dev/null
common="--set cluster.enabled=true --set security.keys.file=$DIR/keys"
java -jar $JAR run --embedded-kafka $common --set node.bind=127.0.0.1:27100 --set http.bind=127.0.0.1:28100 --set outbox.dir=$DIR/o0 > n0.log 2>&1 &
for t in $(seq 1 120); do BS=$(grep -o "embedded Kafka broker on [^ ]*" n0.log | awk '{print $5}'); [ -n "$BS" ] && break; sleep 1; done
echo "broker $BS"
for i in $(seq 1 9); do
  java -jar $JAR run $common --set kafka.bootstrap.servers=$BS --set cluster.join=127.0.0.1:27100 --set node.bind=127.0.0.1:2710$i --set http.bind=127.0.0.1:2810$i --set outbox.dir=$DIR/o$i > n$i.log 2>&1 &
  sleep 1
done
java -jar $JAR tail -b $BS --json --from-beginning > tail.log 2>tail.err &
for t in $(seq 1 120); do
  n=$(java -jar $JAR members --api 127.0.0.1:28100 --json 2>/dev/null | grep -o '"state": *"ALIVE"' | wc -l)
  [ "$n" -ge 10 ] && break; sleep 2
done
echo "$(date +%T) all 10 ALIVE at node 0: $n"
nft add table inet pulsecut
nft add chain inet pulsecut input '{ type filter hook input priority 0; }'
nft add rule inet pulsecut input udp dport 27107-27109 drop
nft add rule inet pulsecut input udp sport 27107-27109 drop
CUT=$(date +%s.%N); echo "$(date +%T) cut 27107-27109"
sleep 30
nft delete table inet pulsecut
HEAL=$(date +%s.%N); echo "$(date +%T) healed"
for t in $(seq 1 120); do
  ok=1
  for i in 0 5 8; do
    n=$(java -jar $JAR members --api 127.0.0.1:2810$i --json 2>/dev/null | grep -o '"state": *"ALIVE"' | wc -l)
    [ "$n" -ge 10 ] || ok=0
  done
  [ $ok = 1 ] && break; sleep 1
done
END=$(date +%s.%N)
echo "$(date +%T) all ALIVE again at members 0, 5, 8: $ok, $(awk "BEGIN{print $END - $HEAL}") s after the heal"
sleep 5
echo "FailureMessages:"; grep '"failure"' tail.log | grep -o '"nodeId": *"[^"]*"' | sort | uniq -c
echo "status changes:"; grep '"status"' tail.log | grep -o '"nodeId": *"[^"]*", *"previous": *"[^"]*", *"current": *"[^"]*"' | sort | uniq -c
for i in 0 8; do echo "members at $i:"; java -jar $JAR members --api 127.0.0.1:2810$i 2>/dev/null | head -3; done
pkill -f "pulse.jar run" ; pkill -f "pulse.jar tail"; sleep 3
nft list tables
