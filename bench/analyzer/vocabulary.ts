/**
 * Domain vocabularies for the synthetic monolith generator: each business domain has its own
 * nouns (entities) so generated identifiers, tables and routes read like a real codebase.
 */
export const DOMAINS: readonly { name: string; nouns: readonly string[] }[] = [
  { name: 'catalog', nouns: ['product', 'category', 'brand', 'attribute', 'variant', 'collection', 'tag', 'image', 'bundle', 'listing', 'specification', 'badge'] },
  { name: 'inventory', nouns: ['stock', 'warehouse', 'reservation', 'bin', 'replenishment', 'transfer', 'count', 'lot', 'location', 'shrinkage', 'forecast', 'supplier'] },
  { name: 'customers', nouns: ['customer', 'address', 'preference', 'consent', 'segment', 'household', 'contact', 'profile', 'loyalty', 'wishlist', 'referral', 'persona'] },
  { name: 'orders', nouns: ['order', 'cart', 'lineitem', 'checkout', 'quote', 'fulfilment', 'backorder', 'split', 'giftwrap', 'reorder', 'basket', 'draft'] },
  { name: 'payments', nouns: ['payment', 'refund', 'invoice', 'ledger', 'chargeback', 'settlement', 'payout', 'wallet', 'voucher', 'installment', 'tender', 'capture'] },
  { name: 'shipping', nouns: ['shipment', 'carrier', 'parcel', 'tracking', 'label', 'manifest', 'pickup', 'route', 'zone', 'rate', 'consignment', 'dock'] },
  { name: 'notifications', nouns: ['notification', 'template', 'email', 'sms', 'push', 'digest', 'subscription', 'channel', 'campaign', 'bounce', 'outbox', 'reminder'] },
  { name: 'pricing', nouns: ['price', 'discount', 'promotion', 'coupon', 'tariff', 'markdown', 'pricelist', 'rebate', 'surcharge', 'taxrate', 'offer', 'deal'] },
  { name: 'reviews', nouns: ['review', 'rating', 'comment', 'moderation', 'flag', 'reply', 'helpfulness', 'photo', 'question', 'answer', 'report', 'reviewer'] },
  { name: 'returns', nouns: ['return', 'rma', 'inspection', 'restock', 'exchange', 'claim', 'disposition', 'grading', 'credit', 'reason', 'authorization', 'receipt'] },
  { name: 'analytics', nouns: ['metric', 'dashboard', 'funnel', 'cohort', 'event', 'session', 'pageview', 'conversion', 'attribution', 'experiment', 'kpi', 'snapshot'] },
  { name: 'identity', nouns: ['user', 'role', 'permission', 'token', 'credential', 'mfa', 'apikey', 'tenant', 'membership', 'invitation', 'audit', 'policy'] },
  { name: 'suppliers', nouns: ['vendor', 'purchase', 'contract', 'catalogfeed', 'leadtime', 'quota', 'tender', 'shipment_notice', 'scorecard', 'onboarding', 'compliance', 'rebatedeal'] },
  { name: 'content', nouns: ['page', 'banner', 'article', 'menu', 'snippet', 'faq', 'landing', 'asset', 'block', 'seo', 'redirect', 'translation'] },
];

export const LAYERS = ['routes', 'controllers', 'services', 'repositories', 'models', 'validators', 'mappers'] as const;
export type Layer = (typeof LAYERS)[number];

export function pascal(s: string): string {
  return s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
export function camel(s: string): string {
  const p = pascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
