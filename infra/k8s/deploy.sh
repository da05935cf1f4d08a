#!/usr/bin/env bash
# Deploys Accord with kubectl alone (no Helm), migrations first:
#
#   infra/k8s/deploy.sh [KUSTOMIZATION_DIR]      # default: infra/k8s/overlays/production
#
#   1. renders the kustomization once, so every step applies the very same objects
#   2. checks that the Secret accord-secrets exists (it is managed outside these manifests)
#   3. deletes the previous migration Job (a Job's pod template is immutable)
#   4. applies the namespace, config, network policies and the migration Job
#      (app.kubernetes.io/component in (namespace, config, network, migrate))
#   5. waits for the Job to complete; on failure prints its logs and stops: nothing new rolls out
#   6. applies everything (api, worker, Service, HPA, PDB, Ingress)
#   7. waits for both Deployments to finish rolling out
#
# Uses the current kubectl context; set KUBECONFIG or --context through KUBECTL, e.g.
#   KUBECTL="kubectl --context prod-eu" infra/k8s/deploy.sh
set -euo pipefail

DIR="${1:-$(dirname "$0")/overlays/production}"
read -r -a KUBECTL <<<"${KUBECTL:-kubectl}"
NAMESPACE=accord
JOB=accord-migrate
MIGRATE_TIMEOUT_SECONDS="${MIGRATE_TIMEOUT_SECONDS:-900}"

say() { printf '==> %s\n' "$*"; }

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT

say "rendering $DIR"
"${KUBECTL[@]}" kustomize "$DIR" >"$rendered"

say "namespace $NAMESPACE"
"${KUBECTL[@]}" apply -f "$rendered" --selector app.kubernetes.io/component=namespace

if ! "${KUBECTL[@]}" -n "$NAMESPACE" get secret accord-secrets >/dev/null 2>&1; then
  echo "The Secret accord-secrets is missing in namespace $NAMESPACE." >&2
  echo "Create it first (keys DATABASE_URL, REDIS_URL, SMTP_URL, ACCORD_SECRET_KEY): docs/deployment.md." >&2
  exit 1
fi

say "removing the previous migration Job, if any"
"${KUBECTL[@]}" -n "$NAMESPACE" delete job "$JOB" --ignore-not-found --wait=true

say "config, network policies and the migration Job"
"${KUBECTL[@]}" apply -f "$rendered" \
  --selector 'app.kubernetes.io/component in (namespace,config,network,migrate)'

say "waiting for job/$JOB (at most ${MIGRATE_TIMEOUT_SECONDS}s)"
deadline=$((SECONDS + MIGRATE_TIMEOUT_SECONDS))
while :; do
  conditions="$("${KUBECTL[@]}" -n "$NAMESPACE" get job "$JOB" \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')"
  case " $conditions " in
    *" Complete "*) say "migrations applied"; break ;;
    *" Failed "*)
      echo "job/$JOB failed; its logs:" >&2
      "${KUBECTL[@]}" -n "$NAMESPACE" logs "job/$JOB" --all-containers --tail=200 >&2 || true
      exit 1 ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "job/$JOB did not finish in ${MIGRATE_TIMEOUT_SECONDS}s:" >&2
    "${KUBECTL[@]}" -n "$NAMESPACE" describe job "$JOB" >&2 || true
    exit 1
  fi
  sleep 3
done

say "rolling out"
"${KUBECTL[@]}" apply -f "$rendered"
"${KUBECTL[@]}" -n "$NAMESPACE" rollout status deployment/accord-api --timeout=10m
"${KUBECTL[@]}" -n "$NAMESPACE" rollout status deployment/accord-worker --timeout=10m
say "done"
