"""Self-test of validate_infra.py's house rules, on small objects built here (no PyYAML, no
kubernetes-validate and no network needed: the schema step is exercised by validate_infra.sh).

Run from the repository root with either of:
    python3 -m unittest discover -s .ci -p 'test_*.py'
    python3 .ci/test_validate_infra.py
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import validate_infra as vi  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KNOWN = vi.accord_variables((ROOT / "shared/kernel/src/config.rs").read_text(encoding="utf-8"))


def container(**over):
    c = {
        "name": "accord",
        "image": "registry.example.org/accord/accord:0.1.0",
        "args": ["api"],
        "ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9100}],
        "envFrom": [{"configMapRef": {"name": "accord-config"}}, {"secretRef": {"name": "accord-secrets"}}],
        "env": [{"name": "ACCORD_METRICS_BIND", "value": "0.0.0.0:9100"}],
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [{"name": "data", "mountPath": "/var/lib/accord"}, {"name": "tmp", "mountPath": "/tmp"}],
    }
    c.update(over)
    return c


LABELS = {"app.kubernetes.io/name": "accord", "app.kubernetes.io/component": "api"}


def manifests():
    """A minimal, valid render: ConfigMap, Deployment, Service, HPA, PDB, Ingress."""
    meta = lambda name: {"name": name, "namespace": "accord", "labels": dict(LABELS)}  # noqa: E731
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("accord-config"),
         "data": {"ACCORD_BIND": "0.0.0.0:8080", "ACCORD_DATA_DIR": "/var/lib/accord",
                  "ACCORD_TRUSTED_PROXIES": "10.0.0.0/8", "RUST_LOG": "info"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("accord-api"),
         "spec": {"selector": {"matchLabels": dict(LABELS)}, "template": {
             "metadata": {"labels": dict(LABELS), "annotations": {
                 "prometheus.io/scrape": "true", "prometheus.io/port": "9100"}},
             "spec": {"enableServiceLinks": False, "automountServiceAccountToken": False,
                      "securityContext": {"runAsNonRoot": True, "runAsUser": 65532,
                                          "seccompProfile": {"type": "RuntimeDefault"}},
                      "containers": [container()],
                      "volumes": [{"name": "data", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": meta("accord-api"),
         "spec": {"selector": dict(LABELS), "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta("accord-api"),
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "accord-api"},
                  "minReplicas": 2, "maxReplicas": 4}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta("accord-api"),
         "spec": {"minAvailable": 1, "selector": {"matchLabels": dict(LABELS)}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("accord"),
         "spec": {"tls": [{"hosts": ["a.example"], "secretName": "t"}], "rules": [{"host": "a.example", "http": {
             "paths": [{"path": "/", "pathType": "Prefix",
                        "backend": {"service": {"name": "accord-api", "port": {"name": "http"}}}}]}}]}},
    ]


def pod_spec(docs):
    return docs[1]["spec"]["template"]["spec"]


class AccordVariables(unittest.TestCase):
    def test_reads_the_settings_from_config_rs(self):
        for name in ("ACCORD_BIND", "ACCORD_DATA_DIR", "ACCORD_METRICS_BIND", "ACCORD_TRUSTED_PROXIES",
                     "ACCORD_GRAPHQL_INTROSPECTION", "DATABASE_URL", "REDIS_URL", "SMTP_URL", "RUST_LOG",
                     "ACCORD_CONFIG"):
            self.assertIn(name, KNOWN)
        self.assertNotIn("ACCORD_TEST_POSTGRES_URL", KNOWN)

    def test_a_changed_layout_is_an_error_not_an_empty_list(self):
        with self.assertRaises(ValueError):
            vi.accord_variables("const OTHER: &[&str] = &[];")

    def test_unknown_names(self):
        self.assertEqual(vi.unknown_accord_names(["ACCORD_BIND", "ACCORD_BINDD", "PATH"], KNOWN), ["ACCORD_BINDD"])


class Images(unittest.TestCase):
    def test_pinned_or_not(self):
        self.assertIsNone(vi.image_problem("nginx:1.28-alpine"))
        self.assertIsNone(vi.image_problem("localhost:5000/accord@sha256:" + "a" * 64))
        self.assertIn("latest", vi.image_problem("nginx:latest"))
        self.assertIn("no tag", vi.image_problem("localhost:5000/accord"))


class Kubernetes(unittest.TestCase):
    def test_a_valid_render_passes(self):
        self.assertEqual(vi.check_k8s(manifests(), KNOWN), [])

    def assertProblem(self, docs, fragment):
        problems = vi.check_k8s(docs, KNOWN)
        self.assertTrue(any(fragment in p for p in problems), f"{fragment!r} not in {problems}")

    def test_service_links_must_be_off(self):
        docs = manifests()
        del pod_spec(docs)["enableServiceLinks"]
        self.assertProblem(docs, "enableServiceLinks")

    def test_hardening(self):
        for path, value, fragment in [
            (("securityContext", "runAsNonRoot"), False, "runAsNonRoot"),
            (("securityContext", "runAsUser"), 0, "runAsUser"),
            (("securityContext", "seccompProfile"), {"type": "Unconfined"}, "seccompProfile"),
        ]:
            docs = manifests()
            pod_spec(docs)[path[0]][path[1]] = value
            self.assertProblem(docs, fragment)
        for field, value, fragment in [
            ("readOnlyRootFilesystem", False, "readOnlyRootFilesystem"),
            ("allowPrivilegeEscalation", True, "allowPrivilegeEscalation"),
            ("capabilities", {"drop": ["NET_RAW"]}, "drop must contain ALL"),
        ]:
            docs = manifests()
            pod_spec(docs)["containers"][0]["securityContext"][field] = value
            self.assertProblem(docs, fragment)

    def test_probes_resources_and_images(self):
        docs = manifests()
        del pod_spec(docs)["containers"][0]["readinessProbe"]
        self.assertProblem(docs, "no readinessProbe")
        docs = manifests()
        del pod_spec(docs)["containers"][0]["resources"]["limits"]
        self.assertProblem(docs, "resources.limits.memory")
        docs = manifests()
        pod_spec(docs)["containers"][0]["image"] = "accord:latest"
        self.assertProblem(docs, "latest")

    def test_unknown_settings_and_leaked_credentials(self):
        docs = manifests()
        docs[0]["data"]["ACCORD_LOG_FROMAT"] = "json"
        self.assertProblem(docs, "ACCORD_LOG_FROMAT is not a setting")
        docs = manifests()
        docs[0]["data"]["DATABASE_URL"] = "postgres://u:p@db/accord"
        self.assertProblem(docs, "DATABASE_URL is a credential")
        docs = manifests()
        pod_spec(docs)["containers"][0]["env"].append({"name": "ACCORD_SECRET_KEY", "value": "x" * 40})
        self.assertProblem(docs, "ACCORD_SECRET_KEY is a credential")
        docs = manifests()
        pod_spec(docs)["containers"][0]["env"].append({"name": "ACCORD_API_SERVICE_HOST", "value": "10.0.0.1"})
        self.assertProblem(docs, "ACCORD_API_SERVICE_HOST is not a setting")

    def test_writable_paths_and_proxies(self):
        docs = manifests()
        docs[0]["data"]["ACCORD_DATA_DIR"] = "/data"
        self.assertProblem(docs, "/data is not a mounted volume")
        docs = manifests()
        docs[0]["data"]["ACCORD_TRUSTED_PROXIES"] = "0.0.0.0/0"
        self.assertProblem(docs, "trusts every address")
        docs = manifests()
        docs[0]["data"]["ACCORD_TRUSTED_PROXIES"] = "proxy.internal"
        self.assertProblem(docs, "is not a CIDR")

    def test_references_resolve(self):
        docs = manifests()
        docs[2]["spec"]["selector"]["app.kubernetes.io/component"] = "apii"
        self.assertProblem(docs, "matches no pod template")
        docs = manifests()
        docs[2]["spec"]["ports"][0]["targetPort"] = "htp"
        self.assertProblem(docs, "targetPort 'htp'")
        docs = manifests()
        docs[3]["spec"]["scaleTargetRef"]["name"] = "accord-apii"
        self.assertProblem(docs, "scaleTargetRef")
        docs = manifests()
        docs[5]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"name": "https"}
        self.assertProblem(docs, "backend port")
        docs = manifests()
        pod_spec(docs)["containers"][0]["envFrom"][0]["configMapRef"]["name"] = "other"
        self.assertProblem(docs, "envFrom ConfigMap 'other'")
        docs = manifests()
        docs[1]["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] = "9090"
        self.assertProblem(docs, "prometheus.io/port")

    def test_namespaces_and_duplicates(self):
        docs = manifests()
        del docs[2]["metadata"]["namespace"]
        self.assertProblem(docs, "no namespace")
        docs = manifests()
        docs.append(copy.deepcopy(docs[2]))
        self.assertProblem(docs, "defined twice")

    def test_one_image_for_every_accord_container(self):
        docs = manifests()
        job = copy.deepcopy(docs[1])
        job.update({"apiVersion": "batch/v1", "kind": "Job"})
        job["metadata"]["name"] = "accord-migrate"
        job["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.org/accord/accord:0.0.9"
        self.assertProblem(docs + [job], "different images")

    def test_image_overrides_must_show(self):
        docs = manifests()
        ok = {"images": [{"name": "registry.example.org/accord/accord", "newTag": "0.1.0"}]}
        self.assertEqual(vi.check_image_overrides(ok, docs), [])
        stale = {"images": [{"name": "accord", "newName": "registry.example.org/accord/accord", "newTag": "0.2.0"}]}
        self.assertIn("changes nothing", vi.check_image_overrides(stale, docs)[0])


def compose():
    accord = {
        "image": "accord:dev", "build": {"context": ".", "dockerfile": "infra/Dockerfile"},
        "read_only": True, "cap_drop": ["ALL"], "security_opt": ["no-new-privileges:true"],
        "tmpfs": ["/tmp:size=16m", "/var/lib/accord"],
        "environment": {"ACCORD_BIND": "0.0.0.0:8080", "ACCORD_TRUSTED_PROXIES": "172.28.0.10/32"},
        "depends_on": {"postgres": {"condition": "service_healthy"}},
    }
    return {"services": {
        "api-1": accord,
        "postgres": {"image": "postgres:16-bookworm"},
        "nginx": {"image": "nginx:1.28-alpine", "ports": [{"published": "8080", "target": 8080, "host_ip": "127.0.0.1"}]},
    }}


class Compose(unittest.TestCase):
    def test_a_valid_file_passes(self):
        self.assertEqual(vi.check_compose(compose(), KNOWN), [])

    def assertProblem(self, config, fragment):
        problems = vi.check_compose(config, KNOWN)
        self.assertTrue(any(fragment in p for p in problems), f"{fragment!r} not in {problems}")

    def test_rules(self):
        c = compose()
        c["services"]["api-1"]["depends_on"]["redis"] = {}
        self.assertProblem(c, "depends_on 'redis'")
        c = compose()
        c["services"]["nginx"]["ports"][0]["host_ip"] = ""
        self.assertProblem(c, "published on every interface")
        c = compose()
        c["services"]["postgres"]["image"] = "postgres:latest"
        self.assertProblem(c, "latest")
        c = compose()
        c["services"]["api-1"]["environment"]["ACCORD_SECRETKEY"] = "x"
        self.assertProblem(c, "ACCORD_SECRETKEY is not a setting")
        c = compose()
        c["services"]["api-1"]["read_only"] = False
        self.assertProblem(c, "read_only")
        c = compose()
        c["services"]["api-1"]["tmpfs"] = ["/tmp"]
        self.assertProblem(c, "/var/lib/accord is neither")
        c = compose()
        c["services"]["api-1"]["environment"]["ACCORD_BIND"] = "127.0.0.1:8080"
        self.assertProblem(c, "loopback")


DOCKERFILE = textwrap.dedent("""\
    # syntax=docker/dockerfile:1.7
    FROM node:20-bookworm-slim AS frontend
    RUN npm ci
    FROM rust:1.95.0-slim-bookworm AS build
    RUN apt-get update \\
     && apt-get install -y --no-install-recommends pkg-config
    FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
    COPY --from=build /out/accord /usr/local/bin/accord
    ENV ACCORD_DATA_DIR=/var/lib/accord ACCORD_BIND=0.0.0.0:8080
    USER 65532:65532
    ENTRYPOINT ["/usr/local/bin/accord"]
    """)


class Dockerfile(unittest.TestCase):
    def test_a_valid_file_passes(self):
        self.assertEqual(vi.check_dockerfile(DOCKERFILE, KNOWN), [])

    def test_the_real_dockerfile_passes(self):
        text = (ROOT / "infra/Dockerfile").read_text(encoding="utf-8")
        self.assertEqual(vi.check_dockerfile(text, KNOWN), [])
        ignore = (ROOT / "infra/Dockerfile.dockerignore").read_text(encoding="utf-8")
        self.assertEqual(vi.check_dockerignore(ignore), [])

    def test_rules(self):
        cases = [
            ("USER 65532:65532\n", "", "no USER"),
            ("USER 65532:65532", "USER root", "not numeric"),
            ("USER 65532:65532", "USER 0", "USER is root"),
            ("FROM node:20-bookworm-slim", "FROM node:latest", "latest"),
            ("FROM node:20-bookworm-slim", "FROM node", "no tag"),
            ('ENTRYPOINT ["/usr/local/bin/accord"]', "ENTRYPOINT /usr/local/bin/accord", "exec form"),
            (" --no-install-recommends", "", "--no-install-recommends"),
            ("ACCORD_BIND=0.0.0.0:8080", "ACCORD_BIND_ADDR=0.0.0.0:8080", "ACCORD_BIND_ADDR is not a setting"),
        ]
        for old, new, fragment in cases:
            self.assertIn(old, DOCKERFILE)
            problems = vi.check_dockerfile(DOCKERFILE.replace(old, new), KNOWN)
            self.assertTrue(any(fragment in p for p in problems), f"{fragment!r} not in {problems}")

    def test_stage_names_are_not_images(self):
        text = DOCKERFILE.replace("COPY --from=build", "COPY --from=build") + "FROM runtime AS debug\nUSER 65532\nENTRYPOINT [\"x\"]\n"
        self.assertEqual(vi.check_dockerfile(text, KNOWN), [])

    def test_dockerignore(self):
        self.assertTrue(any("'.git'" in p for p in vi.check_dockerignore("target/\n**/node_modules/\ndata/\nfrontend/dist/\n")))


class Nginx(unittest.TestCase):
    TEMPLATE = textwrap.dedent("""\
        upstream a { zone a 64k; server api-1:8080 resolve max_fails=3; keepalive 4; }
        server { listen 8080; location = /x { proxy_pass http://a/t/${FHIR_HOLDER_SLUG}/authz; } }
        """)

    def test_made_testable_on_a_stock_nginx(self):
        text = vi.testable_nginx(self.TEMPLATE, {"FHIR_HOLDER_SLUG": "general"})
        self.assertIn("server 127.0.0.1:8080 max_fails=3;", text)
        self.assertIn("/t/general/authz", text)
        self.assertNotIn("resolve", text)
        self.assertIn("listen 8080;", text)

    @unittest.skipUnless(shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), "nginx is not installed")
    def test_nginx_t_accepts_the_template_and_refuses_a_typo(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        with tempfile.TemporaryDirectory() as tmp:
            good, bad = Path(tmp, "good.template"), Path(tmp, "bad.template")
            good.write_text(self.TEMPLATE, encoding="utf-8")
            bad.write_text(self.TEMPLATE.replace("keepalive", "keepalvie"), encoding="utf-8")
            self.assertEqual(vi.check_nginx(str(good), nginx), [])
            self.assertIn("keepalvie", vi.check_nginx(str(bad), nginx)[0])


if __name__ == "__main__":
    unittest.main()
