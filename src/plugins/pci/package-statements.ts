/**
 * What each pkgsrc xenkernel package says about PCI pass-through in its own DESCR, word for word, at the
 * revision read (docs/sources/today-rules.md). A branch not listed here was not read: say so rather than
 * guess.
 */
export interface PassthroughStatement {
  package: string
  /** The sentence quoted from DESCR. */
  quote: string
  supported: boolean
  /** Where it was read. */
  source: string
}

const NOT_SUPPORTED = 'This package contains the {v} Xen kernel itself.  PCI passthrough is not supported.'

export const PASSTHROUGH_STATEMENTS: Readonly<Record<string, PassthroughStatement>> = {
  xenkernel418: {
    package: 'xenkernel418',
    quote: NOT_SUPPORTED.replace('{v}', '4.18'),
    supported: false,
    source: 'pkgsrc sysutils/xenkernel418/DESCR (commit 17810c077accfbcf245fe9ff973f06ad8343449b)',
  },
  xenkernel420: {
    package: 'xenkernel420',
    quote: NOT_SUPPORTED.replace('{v}', '4.20'),
    supported: false,
    source: 'pkgsrc sysutils/xenkernel420/DESCR (commit 06e2755b57e300f3ec762cf310607a4d368f77eb)',
  },
}

/** The statement of an installed xenkernel package (`xenkernel420`), if its DESCR was read. */
export function passthroughStatement(kernelPackage: string): PassthroughStatement | undefined {
  return PASSTHROUGH_STATEMENTS[kernelPackage]
}
