// The shipped GitHub Pages workflow builds exactly as the README's Deploy section says, and publishes dist/ with the
// official Pages actions: a change to one without the other fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const workflow = read('.github/workflows/pages.yml');
const readme = read('README.md');

/** The first `sh` code block of the README's "## Deploy" section, one command. */
function readmeBuildCommand(): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Deploy\n'));
  const block = section?.match(/```sh\n([^\n]+)\n```/);
  if (!block?.[1]) throw new Error('The README has no "## Deploy" section with a sh block.');
  return block[1].replace(/\s+#.*$/, '').trim();
}

/** The `run:` of the workflow step named Build. */
function workflowBuildCommand(): string {
  const step = workflow.match(/- name: Build\n\s+run: (.+)\n/);
  if (!step?.[1]) throw new Error('pages.yml has no step "Build" with a one-line run.');
  return step[1].trim();
}

describe('the GitHub Pages workflow', () => {
  it("builds with the README's build command", () => {
    expect(workflowBuildCommand()).toBe(readmeBuildCommand());
    expect(readmeBuildCommand()).toMatch(/npm run build/);
  });

  it('publishes dist/ with the official Pages actions', () => {
    const actions = [...workflow.matchAll(/uses: ([\w-]+\/[\w-]+)@v\d+/g)].map((match) => match[1]);
    expect(actions).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/configure-pages',
      'actions/upload-pages-artifact',
      'actions/deploy-pages',
    ]);
    expect(workflow).toMatch(/upload-pages-artifact@v\d+\n\s+with:\n\s+path: dist\n/);
    expect(workflow).toMatch(/pages: write/);
    expect(workflow).toMatch(/id-token: write/);
  });
});
