// One colour per service, chosen in order of first appearance (like jaeger-ui), so the services
// of one trace get distinct colours and keep them across pages.

// Red is left out: it marks errors.
const PALETTE = [
  '#4E79A7',
  '#F28E2B',
  '#59A14F',
  '#B07AA1',
  '#76B7B2',
  '#EDC948',
  '#9C755F',
  '#1F77B4',
  '#17BECF',
  '#FF9DA7',
  '#8C564B',
  '#BCBD22',
  '#9467BD',
  '#2CA02C',
  '#E377C2',
  '#7F7F7F',
  '#AEC7E8',
  '#FFBB78',
  '#98DF8A',
  '#C5B0D5',
];

const assigned = new Map<string, string>();

export function serviceColor(service: string): string {
  let c = assigned.get(service);
  if (!c) {
    c = PALETTE[assigned.size % PALETTE.length];
    assigned.set(service, c);
  }
  return c;
}
