/**
 * The data the HTML report embeds for its interactive part: the Decomposition cut down to
 * what the browser draws, with files referred to by index so a 3,000-file report stays small.
 * Shared by the renderer (reports/decomposition/view.ts, which builds it) and the client
 * (report.ts, which reads it); types only, so it compiles for both.
 */
export interface ViewNode {
  /** File path, relative to the analysed root. */
  readonly id: string;
  /** Index into `contexts`. */
  readonly c: number;
  readonly x: number;
  readonly y: number;
  /** Lines. */
  readonly l: number;
  /** Clustering confidence, 0–1. */
  readonly conf: number;
}

export interface ViewSeam {
  readonly from: number;
  readonly to: number;
  readonly calls: number;
  readonly symbols: readonly string[];
}

export interface ViewContext {
  readonly id: string;
  readonly name: string;
  readonly kind: 'domain' | 'shared-kernel';
  readonly color: string;
  readonly files: number;
  readonly lines: number;
  readonly stability: number;
  /** Node indices. */
  readonly members: readonly number[];
  readonly tables: readonly { readonly name: string; readonly access: string }[];
  /** `METHOD /path`. */
  readonly endpoints: readonly string[];
  readonly outbound: readonly { readonly to: number; readonly calls: number; readonly symbols: readonly string[] }[];
  readonly inbound: readonly { readonly from: number; readonly calls: number; readonly symbols: readonly string[] }[];
}

export interface ViewData {
  readonly contexts: readonly ViewContext[];
  readonly nodes: readonly ViewNode[];
  /** [node a, node b, weight]. */
  readonly edges: readonly (readonly [number, number, number])[];
}
