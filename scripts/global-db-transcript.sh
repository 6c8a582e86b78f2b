#!/usr/bin/env bash
# AWS CLI transcript of an Aurora Global Database on the local endpoint: create-global-cluster → secondary in a
# second region → switchover-global-cluster → regional outage → failover-global-cluster --allow-data-loss.
# Usage: scripts/global-db-transcript.sh [port]   (starts `npx tsx lib/emulator/cli.ts` with simulated engines)
set -euo pipefail
PORT=${1:-3251}
URL=http://127.0.0.1:$PORT
DATA=$(mktemp -d)
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=localsecret AWS_PAGER=""
AFC_ENGINES=simulated AFC_EMULATOR_URL=$URL npx tsx lib/emulator/cli.ts --port "$PORT" --data-dir "$DATA" --no-seed >"$DATA/emulator.log" 2>&1 &
EMU=$!
trap 'kill $EMU 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "$URL/_emulator/health" >/dev/null && break; sleep 0.2; done

run() { echo "\$ aws $*"; aws --endpoint-url "$URL" "$@"; echo; }
q() { aws --endpoint-url "$URL" "$@"; }
wait_state() { # region global-id → prints FailoverState transitions and the elapsed time
  local start=$(date +%s%3N) last=""
  while :; do
    local s=$(q rds describe-global-clusters --region "$1" --global-cluster-identifier "$2" --query 'GlobalClusters[0].FailoverState.Status' --output text)
    [ "$s" = "None" ] && s=done
    if [ "$s" != "$last" ]; then echo "  +$(( $(date +%s%3N) - start )) ms  FailoverState.Status=$s"; last=$s; fi
    [ "$s" = done ] && break
    sleep 0.25
  done
}

run rds create-db-cluster --region us-east-1 --db-cluster-identifier orders-east --engine aurora-postgresql \
  --master-username app --master-user-password 'Sup3rSecret!' --query 'DBCluster.[DBClusterIdentifier,Status]' --output text
run rds create-db-instance --region us-east-1 --db-instance-identifier orders-east-1 --db-cluster-identifier orders-east \
  --engine aurora-postgresql --db-instance-class db.r6g.large --query 'DBInstance.DBInstanceStatus' --output text
sleep 9
run rds create-global-cluster --region us-east-1 --global-cluster-identifier orders-global \
  --source-db-cluster-identifier arn:aws:rds:us-east-1:123456789012:cluster:orders-east
echo "# a secondary with master credentials is refused:"
run rds create-db-cluster --region eu-west-1 --db-cluster-identifier orders-west --engine aurora-postgresql \
  --global-cluster-identifier orders-global --master-username x --master-user-password 'Sup3rSecret!' || true
run rds create-db-cluster --region eu-west-1 --db-cluster-identifier orders-west --engine aurora-postgresql \
  --global-cluster-identifier orders-global --query 'DBCluster.[DBClusterIdentifier,Status,GlobalClusterIdentifier,MasterUsername]' --output text
run rds create-db-instance --region eu-west-1 --db-instance-identifier orders-west-1 --db-cluster-identifier orders-west \
  --engine aurora-postgresql --db-instance-class db.r6g.large --query 'DBInstance.DBInstanceStatus' --output text
sleep 9
run rds describe-global-clusters --region eu-west-1 --global-cluster-identifier orders-global \
  --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter,SynchronizationStatus]' --output text

run rds switchover-global-cluster --region eu-west-1 --global-cluster-identifier orders-global \
  --target-db-cluster-identifier arn:aws:rds:eu-west-1:123456789012:cluster:orders-west --query 'GlobalCluster.[Status,FailoverState]'
wait_state eu-west-1 orders-global
run rds describe-global-clusters --region us-east-1 --global-cluster-identifier orders-global \
  --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter,SynchronizationStatus]' --output text

echo "# rehearsal: the primary's region (eu-west-1) becomes unreachable"
echo "\$ curl -X POST $URL/_emulator/regions/eu-west-1/outage -d '{\"unreachable\":true}'"
curl -s -X POST "$URL/_emulator/regions/eu-west-1/outage" -H 'content-type: application/json' -d '{"unreachable":true}'; echo; echo
run rds describe-db-clusters --region eu-west-1 --cli-read-timeout 5 || true
run rds switchover-global-cluster --region us-east-1 --global-cluster-identifier orders-global \
  --target-db-cluster-identifier arn:aws:rds:us-east-1:123456789012:cluster:orders-east || true
run rds failover-global-cluster --region us-east-1 --global-cluster-identifier orders-global \
  --target-db-cluster-identifier arn:aws:rds:us-east-1:123456789012:cluster:orders-east --allow-data-loss \
  --query 'GlobalCluster.[Status,FailoverState]'
wait_state us-east-1 orders-global
run rds describe-global-clusters --region us-east-1 --global-cluster-identifier orders-global \
  --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter,SynchronizationStatus]' --output text
echo "# the region comes back: the old primary rejoins as a secondary (pending-resync, then connected)"
curl -s -X POST "$URL/_emulator/regions/eu-west-1/outage" -H 'content-type: application/json' -d '{"unreachable":false}'; echo
start=$(date +%s%3N)
until [ "$(q rds describe-global-clusters --region us-east-1 --global-cluster-identifier orders-global --query "GlobalClusters[0].GlobalClusterMembers[?IsWriter==\`false\`].SynchronizationStatus | [0]" --output text)" = connected ]; do sleep 0.25; done
echo "  orders-west connected again after $(( $(date +%s%3N) - start )) ms"
run rds describe-events --region us-east-1 --source-type db-cluster --source-identifier orders-east --query 'Events[].[Date,Message]' --output text
