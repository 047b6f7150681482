// Run rak-xl inside Pyodide under Node, offline: node run.mjs WHEELS_DIR CASES.json RESULT.json
//
// WHEELS_DIR holds what tests/pyodide/wheels.py fetched (rak-xl's wheel, its pure-Python
// dependencies, micropip and packaging; order.json lists the dependencies). Any network
// request fails the run: Pyodide and micropip may only read the local folder.
// micropip installs the dependencies from local files without resolving (deps=False), then
// rak-xl's own wheel WITH resolution: every requirement that applies in Pyodide must then
// be met by what is installed, and the ones marked `sys_platform != "emscripten"`
// (python-calamine, pandas) must be skipped, or micropip would go looking for them.
// Then driver.py (the same file the CPython reference run executes) presses the scripts.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = path.dirname(fileURLToPath(import.meta.url));
const [wheels, cases, result] = process.argv.slice(2).map((p) => path.resolve(p));
const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  throw new Error(`offline test: network request to ${url}`);
};

const t0 = performance.now();
const pyodide = await loadPyodide({ stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
const t1 = performance.now();
for (const [dir, mount] of [[wheels, "/wheels"], [path.dirname(cases), "/cases"], [path.dirname(result), "/result"]]) {
  pyodide.FS.mkdirTree(mount);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: dir }, mount);
}
const order = JSON.parse(fs.readFileSync(path.join(wheels, "order.json"), "utf8"));
const local = (name) => fs.readdirSync(wheels).find((f) => f.startsWith(`${name}-`) && f.endsWith(".whl"));
// micropip and packaging are not in the npm package: unpack them from the local wheels.
for (const name of ["packaging", "micropip"]) {
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(path.join(wheels, local(name)))), "wheel");
}
pyodide.globals.set("deps", order.wheels.map((w) => `emfs:/wheels/${w}`));
pyodide.globals.set("own", `emfs:/wheels/${local("rak_xl")}`);
await pyodide.runPythonAsync(`
import micropip
await micropip.install(deps, deps=False)
await micropip.install(own)
`);
const t2 = performance.now();
pyodide.FS.writeFile("/home/pyodide/driver.py", fs.readFileSync(path.join(here, "driver.py")));
await pyodide.runPythonAsync(`
import json, sys
sys.path.insert(0, "/home/pyodide")
import driver
with open("/cases/${path.basename(cases)}", encoding="utf-8") as fh:
    cases = json.load(fh)
out = await driver.run(cases)
out["micropip_list"] = sorted(micropip.list())
with open("/result/${path.basename(result)}", "w", encoding="utf-8") as fh:
    json.dump(out, fh, ensure_ascii=False, sort_keys=True)
`);
const t3 = performance.now();
const timing = {
  load_pyodide_s: (t1 - t0) / 1000,
  install_s: (t2 - t1) / 1000,
  run_s: (t3 - t2) / 1000,
  network_requests: fetched,
  pyodide_version: pyodide.version,
};
fs.writeFileSync(`${result}.timing.json`, JSON.stringify(timing));
console.log(JSON.stringify(timing));
