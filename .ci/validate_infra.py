#!/usr/bin/env python3
"""Checks of infra/ beyond what a JSON schema can say, for .ci/validate_infra.sh.

The shell script installs the tools, renders the kustomizations and runs each check below; this
file holds the checks themselves, so that they can be tested (.ci/test_validate_infra.py).

    validate_infra.py k8s --kubernetes-version 1.30.0 --config-rs PATH FILE[=NAME]...
        Every document of every FILE (reported as NAME; when NAME is a kustomization directory,
        FILE is its render and its `images:` overrides must show in it) is validated against the Kubernetes JSON schema of that
        version, strictly (no property the schema does not know), with kubernetes-validate; a
        kind without a schema (a custom resource) is an error. Then the house rules
        (check_k8s): hardened pods, probes, pinned images, only known ACCORD_* variables,
        secrets only from Secrets, references that resolve (Service -> pods, Ingress ->
        Service, HPA -> Deployment...), one image for every accord container.
    validate_infra.py compose --config-rs PATH FILE.json
        House rules (check_compose) on `docker-compose config --format json` output.
    validate_infra.py dockerfile FILE
        Basic rules (check_dockerfile) that hold whether or not hadolint ran.
    validate_infra.py nginx TEMPLATE
        `nginx -t` on the compose NGINX template, made testable on a stock NGINX (check_nginx).

Each prints one line per problem and exits 1 if there is any. Needs PyYAML and
kubernetes-validate only for the `k8s` subcommand (imported there, so the tests run without).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

# Settings whose values are credentials: in Kubernetes they come from the Secret, never from a
# ConfigMap or a literal `value:`.
SECRET_SETTINGS = frozenset({"DATABASE_URL", "REDIS_URL", "SMTP_URL", "ACCORD_SECRET_KEY"})

# The image's ACCORD_DATA_DIR (infra/Dockerfile), when a deployment does not set its own.
IMAGE_DATA_DIR = "/var/lib/accord"

POD_OWNERS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

CLUSTER_SCOPED = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass",
    "StorageClass", "IngressClass", "PersistentVolume", "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration", "APIService", "RuntimeClass",
}


# ---- configuration names --------------------------------------------------------------------

def accord_variables(config_rs: str) -> frozenset[str]:
    """The environment variables `accord` accepts, read from shared/kernel/src/config.rs.

    `KEYS` pairs each accord.toml key with its variable; `NOT_SETTINGS` lists the ACCORD_*
    variables that are not settings (ACCORD_CONFIG). The test-harness prefixes (ACCORD_TEST_...)
    are not accepted here: they have no business in deployment configuration.
    """
    keys = re.search(r"const KEYS:[^=]*=\s*&\[(.*?)\];", config_rs, re.S)
    not_settings = re.search(r"const NOT_SETTINGS:[^=]*=\s*&\[(.*?)\];", config_rs, re.S)
    if not keys or not not_settings:
        raise ValueError("config.rs: KEYS or NOT_SETTINGS not found; update accord_variables()")
    names = set(re.findall(r'\(\s*"[a-z_]+"\s*,\s*"([A-Z][A-Z0-9_]*)"\s*\)', keys.group(1)))
    names |= set(re.findall(r'"([A-Z][A-Z0-9_]*)"', not_settings.group(1)))
    if len(names) < 10 or "ACCORD_BIND" not in names or "DATABASE_URL" not in names:
        raise ValueError(f"config.rs: found only {sorted(names)}; update accord_variables()")
    return frozenset(names)


def unknown_accord_names(names: Iterable[str], known: frozenset[str]) -> list[str]:
    """ACCORD_* names that `accord` would refuse at start-up."""
    return sorted({n for n in names if n.startswith("ACCORD_") and n not in known})


# ---- images -----------------------------------------------------------------------------------

def image_problem(image: str) -> str | None:
    """Why an image reference is not pinned, or None: it needs a tag (not `latest`) or a digest."""
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image!r} has no tag (pin a version or a digest)"
    if last.rsplit(":", 1)[1] == "latest":
        return f"image {image!r} uses the `latest` tag (pin a version or a digest)"
    return None


# ---- Kubernetes -------------------------------------------------------------------------------

def _name(doc: dict) -> str:
    meta = doc.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{doc.get('kind')}/{meta.get('name')}" + (f" (namespace {ns})" if ns else "")


def _pod_template(doc: dict) -> dict | None:
    if doc.get("kind") in POD_OWNERS:
        return (doc.get("spec") or {}).get("template")
    if doc.get("kind") == "CronJob":
        return ((((doc.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template"))
    return None


def _matches(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_k8s(docs: list[dict], known: frozenset[str]) -> list[str]:
    """House rules for rendered manifests. Returns one message per problem."""
    problems: list[str] = []
    seen: set[tuple] = set()
    configmaps = {d["metadata"]["name"]: d.get("data") or {} for d in docs if d.get("kind") == "ConfigMap"}
    pods = [(d, t) for d in docs if (t := _pod_template(d)) is not None]
    services = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Service"}

    for doc in docs:
        kind, meta = doc.get("kind"), doc.get("metadata") or {}
        key = (doc.get("apiVersion"), kind, meta.get("namespace"), meta.get("name"))
        if key in seen:
            problems.append(f"{_name(doc)}: defined twice")
        seen.add(key)
        if kind not in CLUSTER_SCOPED and not meta.get("namespace"):
            problems.append(f"{_name(doc)}: no namespace (set `namespace:` in the kustomization)")
        if kind == "ConfigMap":
            data = doc.get("data") or {}
            for bad in unknown_accord_names(data, known):
                problems.append(f"{_name(doc)}: {bad} is not a setting of accord (it would refuse to start)")
            for leaked in sorted(SECRET_SETTINGS & set(data)):
                problems.append(f"{_name(doc)}: {leaked} is a credential: put it in the Secret, not a ConfigMap")

    for doc, template in pods:
        problems += _check_pod(doc, template, configmaps, known)
    # api, worker and the migration Job run the same release.
    accord_images = {c.get("image") for _, t in pods for c in _containers(t) if c.get("name") == "accord"}
    if len(accord_images) > 1:
        problems.append(f"the accord containers run different images: {sorted(accord_images)}")

    # References between objects resolve.
    pod_labels = [((t.get("metadata") or {}).get("labels") or {}, t) for _, t in pods]
    for name, svc in services.items():
        selector = (svc.get("spec") or {}).get("selector") or {}
        selected = [t for labels, t in pod_labels if _matches(selector, labels)]
        if not selected:
            problems.append(f"{_name(svc)}: selector {selector} matches no pod template")
        for port in (svc.get("spec") or {}).get("ports") or []:
            target = port.get("targetPort")
            if isinstance(target, str) and not any(target in _port_names(t) for t in selected):
                problems.append(f"{_name(svc)}: targetPort {target!r} is not a named port of the selected pods")
    for doc in docs:
        kind, spec = doc.get("kind"), doc.get("spec") or {}
        if kind == "HorizontalPodAutoscaler":
            ref = spec.get("scaleTargetRef") or {}
            if not any(d.get("kind") == ref.get("kind") and d["metadata"]["name"] == ref.get("name") for d in docs):
                problems.append(f"{_name(doc)}: scaleTargetRef {ref.get('kind')}/{ref.get('name')} is not defined")
            if spec.get("minReplicas", 1) < 2:
                problems.append(f"{_name(doc)}: minReplicas below 2 leaves no replica during a rollout or drain")
        if kind == "PodDisruptionBudget":
            selector = (spec.get("selector") or {}).get("matchLabels") or {}
            if not any(_matches(selector, labels) for labels, _ in pod_labels):
                problems.append(f"{_name(doc)}: selector {selector} matches no pod template")
        if kind == "Ingress":
            for rule in spec.get("rules") or []:
                for path in ((rule.get("http") or {}).get("paths")) or []:
                    backend = (path.get("backend") or {}).get("service") or {}
                    svc = services.get(backend.get("name"))
                    if svc is None:
                        problems.append(f"{_name(doc)}: backend Service {backend.get('name')!r} is not defined")
                        continue
                    port = backend.get("port") or {}
                    names = {p.get("name") for p in (svc.get("spec") or {}).get("ports") or []}
                    numbers = {p.get("port") for p in (svc.get("spec") or {}).get("ports") or []}
                    if ("name" in port and port["name"] not in names) or ("number" in port and port["number"] not in numbers):
                        problems.append(f"{_name(doc)}: backend port {port} is not a port of Service {backend.get('name')}")
            if not spec.get("tls"):
                problems.append(f"{_name(doc)}: no TLS")
    return problems


def check_image_overrides(kustomization: dict, docs: list[dict]) -> list[str]:
    """Each `images:` entry of a kustomization must show in the render. An entry whose `name`
    matches no image (e.g. an overlay naming the image as it was before the base renamed it)
    changes nothing, silently: the overlay would deploy the base's tag."""
    used = {str(c.get("image", "")) for _, t in ((d, _pod_template(d)) for d in docs) if t for c in _containers(t)}
    problems = []
    for entry in kustomization.get("images") or []:
        repo = entry.get("newName") or entry.get("name")
        if "digest" in entry:
            want = f"{repo}@{entry['digest']}"
        elif "newTag" in entry:
            want = f"{repo}:{entry['newTag']}"
        else:
            want = repo
        if want not in used:
            problems.append(f"images entry {entry} changes nothing: no container runs {want!r} "
                            f"(images in the render: {sorted(used)})")
    return problems


def _containers(template: dict) -> list[dict]:
    spec = template.get("spec") or {}
    return list(spec.get("initContainers") or []) + list(spec.get("containers") or [])


def _port_names(template: dict) -> set[str]:
    return {p.get("name") for c in _containers(template) for p in c.get("ports") or [] if p.get("name")}


def _check_pod(owner: dict, template: dict, configmaps: dict[str, dict], known: frozenset[str]) -> list[str]:
    where = _name(owner)
    spec = template.get("spec") or {}
    problems: list[str] = []
    if spec.get("enableServiceLinks") is not False:
        problems.append(f"{where}: set enableServiceLinks: false (service links inject ACCORD_API_* "
                        "variables for the Service accord-api, and accord refuses unknown ACCORD_* variables)")
    if spec.get("automountServiceAccountToken") is not False:
        problems.append(f"{where}: set automountServiceAccountToken: false (Accord never calls the Kubernetes API)")
    psc = spec.get("securityContext") or {}
    if psc.get("runAsNonRoot") is not True:
        problems.append(f"{where}: pod securityContext.runAsNonRoot must be true")
    if not isinstance(psc.get("runAsUser"), int) or psc.get("runAsUser") == 0:
        problems.append(f"{where}: pod securityContext.runAsUser must be a non-zero UID")
    if (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: pod securityContext.seccompProfile.type must be RuntimeDefault")
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    if annotations.get("prometheus.io/scrape") == "true":
        port = annotations.get("prometheus.io/port", "")
        numbers = {str(p.get("containerPort")) for c in _containers(template) for p in c.get("ports") or []}
        if port not in numbers:
            problems.append(f"{where}: prometheus.io/port {port!r} is not a containerPort")
    volumes = {v.get("name") for v in spec.get("volumes") or []}

    for c in _containers(template):
        cw = f"{where} container {c.get('name')}"
        if (p := image_problem(str(c.get("image", "")))) is not None:
            problems.append(f"{cw}: {p}")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{cw}: securityContext.allowPrivilegeEscalation must be false")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{cw}: securityContext.readOnlyRootFilesystem must be true")
        if sc.get("privileged") is True:
            problems.append(f"{cw}: must not be privileged")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            problems.append(f"{cw}: securityContext.capabilities.drop must contain ALL")
        res = c.get("resources") or {}
        for part, fields in (("requests", ("cpu", "memory")), ("limits", ("memory",))):
            for field in fields:
                if field not in (res.get(part) or {}):
                    problems.append(f"{cw}: resources.{part}.{field} is not set")
        if owner.get("kind") == "Deployment":
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in c:
                    problems.append(f"{cw}: no {probe}")

        # Environment: only names accord knows; credentials only from Secrets.
        env = {e.get("name"): e for e in c.get("env") or []}
        settings: dict[str, str] = {}
        for src in c.get("envFrom") or []:
            ref = (src.get("configMapRef") or {}).get("name")
            if ref is not None:
                if ref not in configmaps:
                    problems.append(f"{cw}: envFrom ConfigMap {ref!r} is not defined")
                settings.update(configmaps.get(ref, {}))
        for bad in unknown_accord_names(env, known):
            problems.append(f"{cw}: {bad} is not a setting of accord (it would refuse to start)")
        for name, entry in env.items():
            if name in SECRET_SETTINGS and "value" in entry:
                problems.append(f"{cw}: {name} is a credential: take it from the Secret (valueFrom/envFrom)")
            if "value" in entry:
                settings[name] = entry["value"]

        # A read-only root filesystem needs the data dir and /tmp on volumes.
        mounts = {m.get("mountPath") for m in c.get("volumeMounts") or [] if m.get("name") in volumes}
        if settings or c.get("envFrom"):
            data_dir = settings.get("ACCORD_DATA_DIR", IMAGE_DATA_DIR)
            for path in (data_dir, "/tmp"):
                if path not in mounts:
                    problems.append(f"{cw}: {path} is not a mounted volume (the root filesystem is read-only)")
        proxies = settings.get("ACCORD_TRUSTED_PROXIES")
        if proxies is not None:
            problems += [f"{cw}: ACCORD_TRUSTED_PROXIES: {m}" for m in _cidr_problems(proxies)]
    return problems


def _cidr_problems(value: str) -> list[str]:
    problems = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            net = ipaddress.ip_network(part, strict=False)
        except ValueError:
            problems.append(f"{part!r} is not a CIDR")
            continue
        if net.prefixlen == 0:
            problems.append(f"{part!r} trusts every address: anyone could spoof X-Forwarded-For")
    return problems


def schema_problems(docs: list[dict], version: str) -> list[str]:
    """Strict validation of each document against the Kubernetes JSON schemas of `version`."""
    import kubernetes_validate  # noqa: PLC0415 (only this subcommand needs it)
    from kubernetes_validate.utils import SchemaNotFoundError, ValidationError  # noqa: PLC0415

    problems = []
    for doc in docs:
        try:
            got = kubernetes_validate.validate(doc, version, strict=True)
        except ValidationError as e:
            path = ".".join(str(p) for p in e.path) or "(top level)"
            problems.append(f"{_name(doc)}: {path}: {e.message}")
            continue
        except SchemaNotFoundError:
            problems.append(f"{_name(doc)}: no Kubernetes {version} schema for {doc.get('apiVersion')} "
                            f"{doc.get('kind')} (custom resources and removed APIs are not allowed here)")
            continue
        want = ".".join(version.split(".")[:2])
        if got != want:
            problems.append(f"{_name(doc)}: validated against {got}, not {want}")
    return problems


def load_yaml_documents(paths: Iterable[str], any_doc: bool = False) -> list[tuple[str, dict]]:
    import yaml  # noqa: PLC0415

    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if doc is None:
                    continue
                if not any_doc and (not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc):
                    raise SystemExit(f"{path}: a document without apiVersion and kind")
                out.append((path, doc))
    return out


# ---- Compose ----------------------------------------------------------------------------------

def _is_accord(service: dict) -> bool:
    build = service.get("build") or {}
    return str(build.get("dockerfile", "")).endswith("infra/Dockerfile") or str(service.get("image", "")).startswith("accord:")


def check_compose(config: dict, known: frozenset[str]) -> list[str]:
    """House rules for a resolved compose file (`docker-compose config --format json`)."""
    problems: list[str] = []
    services: dict[str, dict] = config.get("services") or {}
    if not services:
        return ["no services"]
    for name, svc in sorted(services.items()):
        where = f"service {name}"
        for dep in svc.get("depends_on") or {}:
            if dep not in services:
                problems.append(f"{where}: depends_on {dep!r}, which is not a service")
        image = svc.get("image")
        if not image:
            problems.append(f"{where}: no image name")
        elif "build" not in svc and (p := image_problem(image)) is not None:
            problems.append(f"{where}: {p}")
        for port in svc.get("ports") or []:
            if port.get("published") and port.get("host_ip") not in ("127.0.0.1", "::1"):
                problems.append(f"{where}: port {port.get('published')} is published on every interface; "
                                "bind it to 127.0.0.1")
        env = svc.get("environment") or {}
        if not _is_accord(svc):
            continue
        for bad in unknown_accord_names(env, known):
            problems.append(f"{where}: {bad} is not a setting of accord (it would refuse to start)")
        if svc.get("read_only") is not True:
            problems.append(f"{where}: read_only must be true")
        if "ALL" not in (svc.get("cap_drop") or []):
            problems.append(f"{where}: cap_drop must contain ALL")
        if "no-new-privileges:true" not in (svc.get("security_opt") or []):
            problems.append(f"{where}: security_opt must contain no-new-privileges:true")
        writable = {str(t).split(":", 1)[0] for t in svc.get("tmpfs") or []}
        writable |= {v.get("target") for v in svc.get("volumes") or []}
        for path in (env.get("ACCORD_DATA_DIR") or IMAGE_DATA_DIR, "/tmp"):
            if path not in writable:
                problems.append(f"{where}: {path} is neither a tmpfs nor a volume (the root filesystem is read-only)")
        if "ACCORD_TRUSTED_PROXIES" in env:
            problems += [f"{where}: ACCORD_TRUSTED_PROXIES: {m}" for m in _cidr_problems(env["ACCORD_TRUSTED_PROXIES"] or "")]
        if str(env.get("ACCORD_BIND", "")).startswith("127."):
            problems.append(f"{where}: ACCORD_BIND on loopback cannot be reached from other containers")
    return problems


# ---- Dockerfile ---------------------------------------------------------------------------------

def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, buf = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if buf and line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        word, _, rest = buf.partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def check_dockerfile(text: str, known: frozenset[str] | None = None) -> list[str]:
    """Rules that hold with or without hadolint: tagged bases, a non-root numeric USER in the
    final stage, exec-form ENTRYPOINT, no remote ADD, lean apt installs, known ACCORD_* ENVs."""
    problems: list[str] = []
    stages: list[str] = []
    final: list[tuple[str, str]] = []
    for word, args in _instructions(text):
        if word == "FROM":
            parts = [p for p in args.split() if not p.startswith("--")]
            image = parts[0] if parts else ""
            if image.lower() != "scratch" and image not in stages and (p := image_problem(image)):
                problems.append(f"FROM {image}: {p}")
            if len(parts) >= 3 and parts[1].upper() == "AS":
                stages.append(parts[2])
            final = []
            continue
        final.append((word, args))
        if word == "ADD" and re.search(r"\bhttps?://", args):
            problems.append("ADD from a URL: download in a RUN with a checksum, or COPY")
        if word == "RUN" and re.search(r"apt-get\s+(-\S+\s+)*install", args) and "--no-install-recommends" not in args:
            problems.append("apt-get install without --no-install-recommends")
    if not stages and not any(w == "FROM" for w, _ in _instructions(text)):
        return ["no FROM"]
    users = [a for w, a in final if w == "USER"]
    if not users:
        problems.append("final stage: no USER (it would run as root)")
    else:
        uid = users[-1].split(":")[0]
        if not uid.isdigit():
            problems.append(f"final stage: USER {users[-1]} is not numeric (runAsNonRoot cannot verify a name)")
        elif int(uid) == 0:
            problems.append("final stage: USER is root")
    entry = [a for w, a in final if w == "ENTRYPOINT"]
    if not entry or not entry[-1].startswith("["):
        problems.append("final stage: ENTRYPOINT must be in exec form ([\"...\"]) so SIGTERM reaches accord")
    if known is not None:
        for w, a in final:
            if w == "ENV":
                names = re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", a)
                for bad in unknown_accord_names(names, known):
                    problems.append(f"final stage: ENV {bad} is not a setting of accord (it would refuse to start)")
    return problems


def check_dockerignore(text: str) -> list[str]:
    patterns = {line.strip().rstrip("/") for line in text.splitlines() if line.strip() and not line.startswith("#")}
    need = {"target": "Cargo build output", "**/node_modules": "node_modules", ".git": "VCS metadata",
            "data": "local data (may hold a generated key)", "frontend/dist": "locally built assets"}
    return [f"dockerignore: {p!r} ({why}) is not excluded" for p, why in need.items() if p not in patterns]


# ---- NGINX --------------------------------------------------------------------------------------

def testable_nginx(template: str, variables: dict[str, str]) -> str:
    """The compose template as a stock NGINX (Debian's 1.22) can test it: variables substituted
    as the image's envsubst would, upstream hosts pointed at 127.0.0.1 (no Docker DNS here) and
    `resolve` dropped (NGINX >= 1.27.3 only)."""
    text = re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", lambda m: variables.get(m.group(1), m.group(0)), template)
    text = re.sub(r"(?<![\w-])(server\s+)[A-Za-z0-9.-]+(:\d+)([^;{]*);",
                  lambda m: m.group(1) + "127.0.0.1" + m.group(2) + m.group(3).replace(" resolve", "") + ";", text)
    return text


def check_nginx(template_path: str, nginx: str) -> list[str]:
    template = Path(template_path).read_text(encoding="utf-8")
    left = sorted(set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", template)))
    if any(not v.startswith("FHIR_") for v in left):
        return [f"{template_path}: ${{...}} variables other than FHIR_* are not substituted: {left}"]
    conf = testable_nginx(template, {v: "st-mary-s-general-hospital" for v in left})
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "site.conf").write_text(conf, encoding="utf-8")
        Path(tmp, "nginx.conf").write_text(
            f"pid {tmp}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n"
            f"  fastcgi_temp_path {tmp};\n  uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n"
            f"  include {tmp}/site.conf;\n}}\n", encoding="utf-8")
        run = subprocess.run([nginx, "-t", "-q", "-p", tmp, "-c", f"{tmp}/nginx.conf"],
                             capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return [f"{template_path}: nginx -t failed:\n{run.stderr.strip()}"]
    return []


# ---- command line -------------------------------------------------------------------------------

def _report(what: str, problems: list[str], ok: str) -> int:
    if problems:
        for p in problems:
            print(f"  {what}: {p}")
        print(f"FAILED: {len(problems)} problem(s) in {what}")
        return 1
    print(f"  {ok}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    k8s = sub.add_parser("k8s")
    k8s.add_argument("--kubernetes-version", required=True)
    k8s.add_argument("--config-rs", required=True)
    k8s.add_argument("files", nargs="+")
    comp = sub.add_parser("compose")
    comp.add_argument("--config-rs", required=True)
    comp.add_argument("file")
    dock = sub.add_parser("dockerfile")
    dock.add_argument("--config-rs")
    dock.add_argument("file")
    ngx = sub.add_parser("nginx")
    ngx.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ngx.add_argument("file")
    args = parser.parse_args(argv)

    known = frozenset()
    if getattr(args, "config_rs", None):
        known = accord_variables(Path(args.config_rs).read_text(encoding="utf-8"))

    if args.cmd == "k8s":
        rc = 0
        for arg in args.files:
            # FILE or FILE=NAME: NAME is what the report calls it (the kustomization, not a temp file).
            path, _, label = arg.partition("=")
            docs = [d for _, d in load_yaml_documents([path])]
            problems = schema_problems(docs, args.kubernetes_version) + check_k8s(docs, known)
            # NAME a kustomization directory: FILE is its render; check its image overrides too.
            kustomization = Path(label, "kustomization.yaml") if label else None
            if kustomization is not None and kustomization.is_file():
                problems += check_image_overrides(load_yaml_documents([str(kustomization)], any_doc=True)[0][1], docs)
                label = f"{label} (rendered)"
            label = label or path
            rc |= _report(label, problems, f"{label}: {len(docs)} objects valid against Kubernetes "
                          f"{args.kubernetes_version} (strict) and the house rules")
        return rc
    if args.cmd == "compose":
        config = json.loads(Path(args.file).read_text(encoding="utf-8"))
        return _report("compose", check_compose(config, known),
                       f"compose: {len(config.get('services') or {})} services follow the house rules")
    if args.cmd == "dockerfile":
        path = Path(args.file)
        problems = check_dockerfile(path.read_text(encoding="utf-8"), known if args.config_rs else None)
        ignore = path.with_name(path.name + ".dockerignore")
        problems += check_dockerignore(ignore.read_text(encoding="utf-8")) if ignore.exists() else [f"{ignore} is missing"]
        return _report(str(path), problems, f"{path}: basic rules hold")
    if args.cmd == "nginx":
        return _report(args.file, check_nginx(args.file, args.nginx), f"{args.file}: nginx -t passed")
    return 2


if __name__ == "__main__":
    sys.exit(main())
