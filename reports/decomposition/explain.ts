/**
 * One-line explanations of the decomposition metrics, shared by every renderer so the HTML and
 * Markdown say the same thing.
 */
export const METRIC_EXPLANATIONS: Readonly<Record<string, { label: string; better: 'higher' | 'lower'; text: string }>> = {
  modularity: {
    label: 'Modularity Q',
    better: 'higher',
    text: 'How much more coupling falls inside contexts than chance would put there (Newman); above 0.3 is a clear structure.',
  },
  sm: {
    label: 'Structural modularity (SM)',
    better: 'higher',
    text: 'Cohesion inside contexts minus coupling between them, on static reference counts (Jin et al.).',
  },
  icp: {
    label: 'Inter-partition call % (ICP)',
    better: 'lower',
    text: 'Share of static references that cross a context boundary: the calls that would become remote.',
  },
  ifn: {
    label: 'Interface number (IFN)',
    better: 'lower',
    text: 'Average number of files per context used from other contexts: the size of each future API.',
  },
  ned: {
    label: 'Non-extreme distribution (NED)',
    better: 'lower',
    text: 'Share of files in contexts that are too small or too large (outside 5–20 files, as in Mono2Micro).',
  },
};

export function formatMetric(key: string, value: number): string {
  return key === 'icp' || key === 'ned' ? `${(value * 100).toFixed(1)} %` : value.toFixed(3);
}
