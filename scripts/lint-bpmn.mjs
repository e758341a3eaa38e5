// Lints every bpmn/*.bpmn with bpmnlint and the project's .bpmnlintrc.
// Used by `npm run lint:bpmn` and by `./mvnw verify` (exec-maven-plugin), so both agree.
// The file list is built here rather than by a shell glob: it works the same on every
// platform, and an empty bpmn/ folder is a pass with a message instead of an error.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bpmnDir = path.join(projectDir, 'bpmn');
const cli = path.join(projectDir, 'node_modules', 'bpmnlint', 'bin', 'bpmnlint.js');

const files = existsSync(bpmnDir)
  ? readdirSync(bpmnDir).filter((name) => name.endsWith('.bpmn')).sort().map((name) => path.join('bpmn', name))
  : [];

if (files.length === 0) {
  console.log('bpmnlint: no bpmn/*.bpmn files, nothing to lint');
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error('bpmnlint is not installed: run `npm ci` first');
  process.exit(2);
}

console.log(`bpmnlint: linting ${files.length} file(s): ${files.join(' ')}`);
// extra arguments (e.g. --max-warnings=0) go through to bpmnlint
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2), ...files], {
  cwd: projectDir,
  stdio: 'inherit',
});
if (result.error) {
  console.error(result.error.message);
  process.exit(2);
}
if (result.status === 0) {
  console.log('bpmnlint: no errors');
}
process.exit(result.status ?? 1);
