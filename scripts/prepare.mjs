// npm's `prepare`: builds dist/ when musgo is installed from a git checkout (npm installs its dev
// dependencies first), so `npm install github:…/musgo` gets a working package. Inside this repository
// `npm ci` also runs it; the build is what the test and start scripts do next anyway.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync("node_modules/typescript/bin/tsc")) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
} else {
  console.log("musgo prepare: typescript is not installed (a production install): using the packed dist/");
}
