#!/bin/bash
# Controller benchmark: 1,000 InferenceServices (a third each S3, PVC and OCI, copies of
# examples/) created on a real control plane (etcd, kube-apiserver, kube-controller-manager from
# e2e/k8s) with deploy/ applied; `stowage controller` runs as its own process with the in-cluster
# settings of deploy/'s Deployment. Measures the time until every Deployment exists and until every
# status is written, the controller's API requests (audit log), its peak heap and CPU.
#
#   bench/controller.sh [--count N] [--runs N] [--out FILE]
#
# The control plane, the harness's client and the controller share the machine's cores.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
ORIG_CMD="bench/controller.sh${*:+ $*}"
COUNT=1000
RUNS=3
OUT=$BENCH_DIR/RESULTS-controller.md

usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case $1 in
        --count) COUNT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--count and --runs want positive integers" >&2; exit 2; }

cd "$ROOT"
# The real control plane's binaries (built once into a cache, as .ci/run does).
PATH=$PATH:/usr/local/go/bin
STOWAGE_K8S_BIN=$(e2e/k8s/build.sh)
export STOWAGE_K8S_BIN
# The distribution (the controller process) and the harness's test classes with their classpath.
./mvnw -B -q package -DskipTests -pl stowage-cli -am
./mvnw -B -q test-compile dependency:build-classpath -pl stowage-controller -am \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
LAUNCHER=$ROOT/stowage-cli/target/stowage/bin/stowage
CP=$ROOT/stowage-controller/target/test-classes:$ROOT/stowage-controller/target/classes:$(cat "$ROOT/stowage-controller/target/bench.classpath")

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# Other JVMs at start (other people's builds on a shared machine): a noise gauge.
OTHER_JVMS=$(pgrep -c -x java || true)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stowage-controller-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rows=()
by_kind=()
incomplete=()
walls=()
statuses=()
heaps=()
for ((r = 1; r <= RUNS; r++)); do
    java -Xmx1g -cp "$CP" -Dstowage.examples.dir="$ROOT/examples" -Dstowage.deploy.dir="$ROOT/deploy" -Dslf4j.provider=io.stowage.controller.logging.StderrLoggerProvider \
        -Dstowage.log.level=ERROR io.stowage.controller.bench.ControllerBench "$LAUNCHER" "$COUNT" "$WORK/run$r" >"$WORK/run$r.out"
    declare -A res=()
    while IFS='=' read -r k v; do res[$k]=$v; done <"$WORK/run$r.out"
    echo "run $r: ${res[all_deployments_s]} s to ${res[deployments]} Deployments, ${res[all_statuses_s]} s to ${res[statuses]} statuses, ${res[api_requests]} requests, peak heap ${res[peak_heap_used_mib]} MiB (live after GC ${res[peak_heap_after_gc_mib]} MiB), peak RSS ${res[peak_rss_mib]} MiB, CPU s controller ${res[controller_cpu_s]} / apiserver ${res[apiserver_cpu_s]} / etcd ${res[etcd_cpu_s]} / controller-manager ${res[controller_manager_cpu_s]}" >&2
    rows+=("| $r | ${res[created_s]} | ${res[all_deployments_s]} | ${res[deployments]} | ${res[all_statuses_s]} | ${res[statuses]} | ${res[controller_cpu_s]} | ${res[apiserver_cpu_s]} | ${res[etcd_cpu_s]} | ${res[controller_manager_cpu_s]} | ${res[api_requests]} | ${res[reconciles]} | ${res[reconcile_s]} | ${res[plans]} | ${res[plan_s]} | ${res[peak_heap_used_mib]} | ${res[peak_heap_after_gc_mib]} | ${res[heap_committed_mib]} | ${res[peak_rss_mib]} |")
    by_kind+=("- run $r: ${res[api_requests_by]//,/, }")
    KUBE_VERSION=${res[kubernetes]}
    [[ ${res[deployments]} == "$COUNT" && ${res[statuses]} == "$COUNT" ]] || incomplete+=("$r")
    walls+=("${res[all_deployments_s]}")
    statuses+=("${res[all_statuses_s]}")
    heaps+=("${res[peak_heap_used_mib]}")
    unset res
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
smallest() { printf '%s\n' "$@" | sort -n | head -1; }
largest() { printf '%s\n' "$@" | sort -n | tail -1; }
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "# Controller benchmark results"
    echo
    echo "- **Date:** $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- **Command:** \`$ORIG_CMD\`"
    echo "- **Machine:** $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "- **Load average:** $LOAD_START at start, $LOAD_END at end; other JVMs running at start: $OTHER_JVMS (the machine is shared with other engineers' builds and tests)"
    echo "- **Versions:** $("$LAUNCHER" --version 2>/dev/null | head -1), $(java -version 2>&1 | head -1), Kubernetes $KUBE_VERSION (kube-apiserver, kube-controller-manager, etcd from e2e/k8s)"
    echo "- **Setup:** a real control plane (etcd with \`--unsafe-no-fsync\`, kube-apiserver with RBAC and an audit log of the controller's ServiceAccount only, kube-controller-manager: Deployments become ReplicaSets and Pending Pods, there is no node) started by the harness; \`kubectl apply -k deploy/\` and the model-namespace RoleBinding; \`stowage controller\` from the distribution as a separate process with deploy/'s in-cluster settings (its ServiceAccount token at the in-cluster path, \`KUBERNETES_SERVICE_HOST\`; server-side apply, leader election, 8 threads, \`STOWAGE_JAVA_OPTS=-Xmx256m\`, SerialGC); the runtime \`aml-vllm-0.11.2-cpu\`, the S3 Secret and ServiceAccount"
    echo "- **Input:** $COUNT InferenceServices created by 4 client threads of the harness as fast as the API server accepts them (a third each S3, PVC and OCI, copies of \`examples/\`)"
    echo "- **Measured:** from the first create until an informer has seen all $COUNT Deployments, and until it has seen a status (\`status.url\`) on all $COUNT InferenceServices; the controller's heap from its GC log (used before a collection, live after one), its peak RSS (VmHWM); CPU seconds (user + system) of the controller and of each control-plane process over the same interval; the controller's requests in it from the audit log (one per audit ID); from the controller's \`/metrics\` at the end: reconciles (\`stowage_reconcile_outcomes_total\`) and the seconds spent in them (JOSDK's \`reconciliations_execution_duration_seconds_sum\`), plans and the seconds spent planning (\`stowage_plan_duration_seconds\`), both wall time on busy cores"
    echo
    echo "| run | all created s | all Deployments s | Deployments | all statuses s | statuses | controller CPU s | apiserver CPU s | etcd CPU s | controller-manager CPU s | controller's API requests | reconciles | reconcile s | plans | planning s | peak heap used MiB | peak live heap MiB | heap committed MiB | peak RSS MiB |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "The controller's requests by verb and resource (apply = server-side apply patch):"
    echo
    printf '%s\n' "${by_kind[@]}"
    echo
    echo "Median time until all $COUNT Deployments exist: **$(median "${walls[@]}") s** (runs: $(smallest "${walls[@]}")–$(largest "${walls[@]}") s); until all $COUNT statuses are written: **$(median "${statuses[@]}") s** (runs: $(smallest "${statuses[@]}")–$(largest "${statuses[@]}") s); median peak heap used: **$(median "${heaps[@]}") MiB** (runs: $(smallest "${heaps[@]}")–$(largest "${heaps[@]}") MiB)."
    if ((${#incomplete[@]})); then
        echo
        echo "**Incomplete:** run(s) ${incomplete[*]} did not see all $COUNT Deployments and statuses within 10 minutes; their time is the timeout, not a result."
    fi
} >"$OUT"
echo "wrote $OUT" >&2
