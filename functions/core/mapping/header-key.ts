/**
 * Header comparison key (the DMBS standard, "Conventions"): lower-cased, with spaces, underscores,
 * hyphens, dots and slashes removed. Other characters count (`Largest Tenant %` is not `Largest Tenant`).
 */

const IGNORED = /[\s_\-./]+/g;

/**
 * The key two headers are compared by.
 * @example headerKey('Current-Balance') === headerKey('current_balance') // 'currentbalance'
 */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(IGNORED, '');
}
