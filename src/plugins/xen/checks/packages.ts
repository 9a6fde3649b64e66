import {
  type CheckContext,
  type Fact,
  type CheckDefinition,
  type Outcome,
  refs,
  absentFrom,
} from '../../../engine/types.js'
import type {BootFacts, XenFacts} from '../../facts.js'
import {type Package, xenPackageKind, branchRelease, stripPkgRevision} from '../parse.js'
import {xen} from '../common.js'

/** The bootloaders in the evidence, or undefined when the boot facts are unavailable (plugin missing or failing). */
function bootLoaders(ctx: CheckContext): BootFacts['loaders'] | undefined {
  try {
    const boot = ctx.facts('boot')
    return Array.isArray(boot?.loaders) ? boot.loaders : undefined
  } catch {
    return undefined
  }
}

/**
 * The packages a NetBSD release should install: the Howto's trio for 5.x, the current pkgsrc pair for 9.1 and later.
 */
function packageAdvice(f: XenFacts): string {
  const v = f.netbsdVersion
  const major = v ? Number(v.split('.')[0]) : undefined
  if (major !== undefined && major < 7)
    return 'Install a matching pair from pkgsrc, e.g. `pkg_add xenkernel41 xentools41` (Xen 4.1), or sysutils/xenkernel3 and sysutils/xentools3 for Xen 3.1 (the only one with PCI pass-through), as the Howto lists.'
  return 'Install a matching pair from pkgsrc, e.g. `pkgin install xenkernel420 xentools420` (Xen 4.20, amd64, NetBSD 9.1 and later); xenkernel and xentools must be installed together and must have matching versions.'
}

const pkgLabel = (p: Fact<Package>) => `${p.value.name}-${p.value.version}`

export const packages: CheckDefinition = {
  id: 'xen.packages',
  title: 'xenkernel and xentools are installed, of the same Xen version',
  since: '0.1.0',
  actor: 'packages',
  hostOs: ['NetBSD'],
  evidence: ['pkg_info.txt'],
  description:
    'The xenkernel* and xentools* lines of `pkg_info` (`xenkernel3`+`xentools3` = Xen 3.1, `xenkernel33`+`xentools33` = 3.3, `xenkernel41`+`xentools41` = 4.1, … `xenkernel420`+`xentools420` = 4.20), versions compared after removing the pkgsrc revision (`nb5`); `xentools3-hvm` for HVM on Xen 3.1; `grub` when grub is the bootloader.',
  why: 'Both packages must be installed together and must have matching versions (NetBSD Xen howto). With Xen 3.1, HVM guests need sysutils/xentools3-hvm; sysutils/grub is needed if you plan to use the grub boot loader (Howto).',
  remedy:
    'Install the xenkernel and xentools packages of the same Xen branch, e.g. `pkgin install xenkernel420 xentools420`, or `pkg_add xenkernel41 xentools41` on NetBSD 5.',
  references: [
    'Howto: Installing NetBSD as privileged domain (Dom0)',
    'pkgsrc sysutils/xenkernel420, sysutils/xentools420 (versions are snapshot dates, e.g. xenkernel420-20250821nb1)',
  ],
  run(ctx) {
    const f = xen(ctx)
    const all = f.packages.all
    if (!all) return {status: 'unknown', message: 'pkg_info.txt is missing'}
    const {kernel, tools} = f.packages
    const outcomes: Outcome[] = []
    const era = f.era ? ` Assumed: ${f.eraReason}.` : ''
    if (!kernel || !tools) {
      const missing = [!kernel && 'no xenkernel* package', !tools && 'no xentools* package']
        .filter(Boolean)
        .join(' and ')
      const have = kernel ?? tools
      outcomes.push({
        status: 'fail',
        message: `${missing} in pkg_info.txt (${all.size} packages listed)${have ? `; installed: ${pkgLabel(have)}` : ''}`,
        evidence: have ? refs(have) : [absentFrom('pkg_info.txt', '(no xenkernel*/xentools* line)')],
        remedy: packageAdvice(f),
      })
    } else {
      const kb = xenPackageKind(kernel.value.name)!.branch
      const tb = xenPackageKind(tools.value.name)!.branch
      const kRel = branchRelease(kb) ?? kb
      const tRel = branchRelease(tb) ?? tb
      const ev = refs(kernel, tools)
      if (kb !== tb) {
        outcomes.push({
          status: 'fail',
          message: `mismatched pair: ${pkgLabel(kernel)} is Xen ${kRel} but ${pkgLabel(tools)} is Xen ${tRel}`,
          evidence: ev,
          remedy: `Install the xenkernel and xentools of one Xen branch: \`pkg_delete ${kernel.value.name}\` then \`pkg_add xenkernel${tb}\` (matching ${tools.value.name}), or replace the tools with xentools${kb}.`,
        })
      } else if (stripPkgRevision(kernel.value.version) !== stripPkgRevision(tools.value.version)) {
        outcomes.push({
          status: 'warn',
          message: `same Xen branch ${kRel}, but different releases: ${pkgLabel(kernel)} and ${pkgLabel(tools)}.${era}`,
          evidence: ev,
          remedy: `Update both together: \`pkgin upgrade\` or \`pkg_add -u ${kernel.value.name} ${tools.value.name}\`.`,
        })
      } else {
        outcomes.push({
          status: 'pass',
          message: `${pkgLabel(kernel)} and ${pkgLabel(tools)}: Xen ${kRel}, matching.${era}`,
          evidence: ev,
        })
      }
    }

    // HVM on Xen 3.1 needs the separate xentools3-hvm package; later xentools include it.
    if (ctx.target === 'hvm' && tools && xenPackageKind(tools.value.name)?.branch === '3') {
      const hvm = all.get('xentools3-hvm')
      outcomes.push(
        hvm
          ? {
              status: 'pass',
              message: `${pkgLabel(hvm)} is installed: HVM guests can be run with Xen 3.1`,
              evidence: refs(hvm),
              subject: 'xentools3-hvm',
            }
          : {
              status: 'fail',
              message:
                'Xen 3.1 (xentools3) without xentools3-hvm: the utilities to run unmodified (HVM) guests are missing',
              evidence: refs(tools),
              subject: 'xentools3-hvm',
              remedy: 'Install sysutils/xentools3-hvm: `pkg_add xentools3-hvm`.',
            },
      )
    }

    const loaders = bootLoaders(ctx)
    if (loaders?.includes('grub')) {
      const grub = all.get('grub') ?? all.get('grub2')
      if (grub)
        outcomes.push({
          status: 'pass',
          message: `the grub bootloader is configured and ${pkgLabel(grub)} is installed`,
          evidence: refs(grub),
          subject: 'grub',
        })
      else {
        outcomes.push({
          status: loaders.includes('netbsd') ? 'warn' : 'fail',
          message: `the grub bootloader is configured (menu.lst) but no grub package is in pkg_info.txt${loaders.includes('netbsd') ? "; boot.cfg is there too, so NetBSD's own /boot may be the one in use" : ''}`,
          subject: 'grub',
          evidence: [absentFrom('pkg_info.txt', '(no grub line)')],
          remedy:
            "Install sysutils/grub (`pkg_add grub`) and run `grub-install` as the Howto shows, or boot Xen with NetBSD's /boot and a boot.cfg `multiboot /xen.gz` line instead.",
        })
      }
    }

    if (outcomes.length > 1) for (const o of outcomes) o.subject ??= 'xenkernel/xentools'
    return outcomes
  },
}
