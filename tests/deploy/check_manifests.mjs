// Checks the Kubernetes manifests of a sharded run (deploy/kubernetes/)
// without a cluster: every object is validated against the Kubernetes
// API's JSON schema by kubernetes-models (an unknown field, a wrong type
// or a missing required field fails), then the fields the run relies on
// are asserted: an Indexed Job whose pods all run at once, each its shard
// from JOB_COMPLETION_INDEX of SHARDS = completions, one run id per Job,
// the server from the Secret, the scenario from the ConfigMap, the reports
// on the claim, no retry of a shard.
//
// With COMPOSE, also docker/compose.yaml's `shard` service (parsed and its
// fields asserted; no compose schema is packaged).
//
//   node check_manifests.mjs DIR [COMPOSE]     (exit 0: valid; 1: what is wrong)
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";

const kinds = { Job, ConfigMap, Secret, PersistentVolumeClaim };
const dir = process.argv[2];
const objects = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const o = doc.toJS();
    const Model = kinds[o.kind];
    if (!Model) throw new Error(`${file}: kind ${o.kind} is not one this check knows`);
    try {
      new Model(o).validate();
    } catch (e) {
      throw new Error(`${file}: ${o.kind} ${o.metadata?.name} is not valid: ${e.message}`);
    }
    objects[o.kind] = o;
    console.log(`valid: ${file}: ${o.apiVersion} ${o.kind} ${o.metadata.name}`);
  }
}

const job = objects.Job.spec;
assert.equal(job.completionMode, "Indexed", "the Job must be Indexed (JOB_COMPLETION_INDEX is the shard)");
assert.equal(job.parallelism, job.completions, "every shard must run at once: they meet at each round");
assert.equal(job.backoffLimit, 0, "a restarted shard cannot rejoin its run");
const pod = job.template.spec;
assert.equal(pod.restartPolicy, "Never");
const [c] = pod.containers;
const env = Object.fromEntries(c.env.map((e) => [e.name, e]));
assert.equal(Number(env.SHARDS.value), job.completions, "SHARDS must equal completions");
const script = c.args.join(" ");
for (const part of ['--shard "${JOB_COMPLETION_INDEX}/${SHARDS}"', "--run-id", "${JOB_UID}", "/scenario/scenario.toml",
                    "--report-dir \"/reports/shard-${JOB_COMPLETION_INDEX}\""]) {
  assert.ok(script.includes(part), `the container's command must contain ${part}: ${script}`);
}
assert.equal(env.JOB_UID.valueFrom.fieldRef.fieldPath, "metadata.labels['batch.kubernetes.io/controller-uid']");
assert.equal(env.DATABASE_URL.valueFrom.secretKeyRef.name, objects.Secret.metadata.name);
assert.ok(env.DATABASE_URL.valueFrom.secretKeyRef.key in objects.Secret.stringData, "the Secret must hold the key");
const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
assert.equal(volumes[mounts["/scenario"]].configMap.name, objects.ConfigMap.metadata.name);
assert.ok("scenario.toml" in objects.ConfigMap.data, "the ConfigMap must hold scenario.toml");
assert.equal(volumes[mounts["/reports"]].persistentVolumeClaim.claimName, objects.PersistentVolumeClaim.metadata.name);
assert.deepEqual(objects.PersistentVolumeClaim.spec.accessModes, ["ReadWriteMany"]);
console.log(`ok: ${job.completions} shards, each its own pod; scenario, server and reports wired`);

const composePath = process.argv[3];
if (composePath) {
  const compose = parseAllDocuments(readFileSync(composePath, "utf8"))[0].toJS();
  const shard = compose.services.shard;
  assert.deepEqual(shard.profiles, ["shards"], "the shard service runs only with --profile shards");
  const cmd = shard.command.join(" ");
  assert.ok(cmd.includes('--shard "auto/$${SHARDS}"'), `each replica takes a free shard: ${cmd}`);
  assert.ok(cmd.includes('--run-id "$${RUN_ID}"'), `every replica gets the run id: ${cmd}`);
  assert.match(shard.environment.RUN_ID, /^\$\{RUN_ID:\?/, "RUN_ID must be required, new for every run");
  assert.equal(shard.depends_on.postgres.condition, "service_healthy");
  console.log("ok: compose's shard service joins --shard auto/$SHARDS under one RUN_ID");
}
