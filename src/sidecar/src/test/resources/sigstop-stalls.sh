#!/bin/bash
# Run from the repository after mvn package. Five pulse run processes (jar) with keys and one broker;
# the last member stopped with SIGSTOP for STALL seconds (2.5 by default) three times, 30 s apart.
set -u
JAR=${JAR:-$PWD/target/pulse.jar}
DIR=$(mktemp -d /tmp/pulse-stall-XXXX); cd $DIR
java -jar $JAR keys generate --primary --output keys > /dev/null
common="--set cluster.enabled=true --set security.keys.file=$DIR/keys"
java -jar $JAR run --embedded-kafka $common --set node.bind=127.0.0.1:27200 --set http.bind=127.0.0.1:28200 --set outbox.dir=$DIR/o0 > n0.log 2>&1 &
for t in $(seq 1 120); do BS=$(grep -o "embedded Kafka broker on [^ ]*" n0.log | awk '{print $5}'); [ -n "$BS" ] && break; sleep 1; done
for i in 1 2 3 4; do
  java -jar $JAR run $common --set kafka.bootstrap.servers=$BS --set cluster.join=127.0.0.1:27200 --set node.bind=127.0.0.1:2720$i --set http.bind=127.0.0.1:2820$i --set outbox.dir=$DIR/o$i > n$i.log 2>&1 &
  echo $! > pid$i
  sleep 1
done
java -jar $JAR tail -b $BS --json --from-beginning > tail.log 2>tail.err &
for t in $(seq 1 120); do
  n=$(java -jar $JAR members --api 127.0.0.1:28200 --json 2>/dev/null | grep -o '"state": *"ALIVE"' | wc -l)
  [ "$n" -ge 5 ] && break; sleep 2
done
echo "$(date +%T) all 5 ALIVE: $n"
VICTIM=$(cat pid4)
for k in 1 2 3; do
  kill -STOP $VICTIM; sleep ${STALL:-2.5}; kill -CONT $VICTIM
  echo "$(date +%T) stall $k of ${STALL:-2.5} s"
  sleep 30
done
sleep 5
echo "FailureMessages:"; grep '"failure"' tail.log | grep -o '"nodeId": *"[^"]*"' | sort | uniq -c
echo "status changes:"; grep '"status"' tail.log | grep -o '"nodeId": *"[^"]*", *"previous": *"[^"]*", *"current": *"[^"]*"' | grep -v PENDING | sort | uniq -c
java -jar $JAR members --api 127.0.0.1:28200 2>/dev/null | head -8
pkill -f "pulse.jar run"; pkill -f "pulse.jar tail"
