export const FIXTURES: string
export function overlayNames(fixtures?: string): string[]
export function overlayTree(fixtures: string, name: string): Map<string, string>
export function ignoreText(names: readonly string[]): string
export function buildOverlays(fixtures?: string): string[]
export function makeOverlay(
  fixtures: string,
  name: string,
  base: string,
  note?: string,
): {kept: number; removed: number; shared: number}
