/** The order a customer places, as the gateway receives it and the services pass it on. */

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface OrderRequest {
  /** The client's order number, 1, 2, 3…; it also picks the order's fault plan. */
  orderNo: number;
  customerId: string;
  region: string;
  lines: OrderLine[];
}

export interface PricedLine extends OrderLine {
  unitCents: number;
}

/** What the gateway answers for a placed order. */
export interface OrderReceipt {
  orderId: string;
  status: 'confirmed';
  totalCents: number;
  shipmentId: string;
}

export const SKUS = [
  'tea-sencha',
  'tea-genmaicha',
  'tea-hojicha',
  'kettle-iron',
  'cup-raku',
  'whisk-bamboo',
  'bowl-matcha',
  'tray-cedar',
  'towel-tenugui',
  'caddy-tin',
  'scoop-chashaku',
  'cloth-fukusa',
] as const;

export const REGIONS = ['kanto', 'kansai', 'chubu', 'kyushu', 'tohoku'] as const;

/** Checks the shape of an untrusted order; returns a message when it is wrong. */
export function invalidOrder(body: unknown): string | undefined {
  const o = body as Partial<OrderRequest> | undefined;
  if (o === undefined || o === null || typeof o !== 'object') return 'body must be an order object';
  if (!Number.isInteger(o.orderNo) || (o.orderNo ?? 0) < 1) return 'orderNo must be a positive integer';
  if (typeof o.customerId !== 'string' || o.customerId === '') return 'customerId is required';
  if (typeof o.region !== 'string' || !(REGIONS as readonly string[]).includes(o.region))
    return `region must be one of ${REGIONS.join(', ')}`;
  if (!Array.isArray(o.lines) || o.lines.length === 0) return 'lines must be a non-empty array';
  for (const line of o.lines) {
    if (!(SKUS as readonly string[]).includes(line?.sku)) return `unknown sku ${JSON.stringify(line?.sku)}`;
    if (!Number.isInteger(line.quantity) || line.quantity < 1) return 'quantity must be a positive integer';
  }
  return undefined;
}
