// Types of scripts/assemble-collector.mjs, for the tests that import it.
export const PARTS: string
export const SCRIPT: string
export function assembleCollector(dir?: string): string
export function updateCollector(options?: {check?: boolean}): boolean
