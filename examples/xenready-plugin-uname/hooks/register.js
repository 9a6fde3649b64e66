// A third-party xenready plugin. It registers its checks through the same
// `xenready:register` oclif hook as xenready's built-in plugins, and needs no
// dependency on xenready or @oclif/core at run time: a plugin is data plus pure functions.

/** @type {import('xenready/dist/engine/types.js').PluginDefinition} */
const unamePlugin = {
  name: 'example',
  title: 'Example plugin: is the kernel identification in the evidence?',
  // One declaration per evidence name across all plugins: this is xenready's own uname.txt spec, word for word.
  evidence: [
    {
      kind: 'command',
      name: 'uname.txt',
      description: 'kernel name, release, build and architecture',
      argv: ['uname', '-a'],
    },
  ],
  checks: [
    {
      id: 'example.uname',
      title: 'The evidence names the running kernel (uname.txt)',
      since: '1.0.0',
      actor: 'os-config',
      evidence: ['uname.txt'],
      description: 'Looks for uname.txt, the output of `uname -a`, in the dump.',
      why: 'Without the kernel name and release, a support engineer cannot tell which NetBSD release or dom0 kernel the host runs.',
      remedy: 'Run `uname -a > uname.txt` on the host and add it to the dump.',
      run(ctx) {
        const uname = ctx.evidence.get('uname.txt')
        if (!uname.present) return {status: 'warn', message: `the dump has no uname.txt (${uname.reason})`}
        const first = uname.text.split('\n')[0] ?? ''
        if (!first.trim()) return {status: 'warn', message: 'uname.txt is empty'}
        return {
          status: 'pass',
          message: 'uname.txt names the kernel',
          evidence: [{source: 'uname.txt', line: 1, text: first}],
        }
      },
    },
  ],
}

/** @type {() => Promise<{apiVersion: 2, plugins: unknown[]}>} */
export default async function register() {
  return {apiVersion: 2, plugins: [unamePlugin]}
}
