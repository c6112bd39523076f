/**
 * Attribute names and values shared by every helper and TPS span builder. Genba's value-stream
 * analysis reads `genba.component` and `genba.waste`; keep these strings stable.
 */

export const ATTR_GENBA_COMPONENT = 'genba.component';
export const ATTR_GENBA_WASTE = 'genba.waste';

/**
 * Where a span's time goes, in the Toyota Production System's terms: `processing` adds value,
 * `waiting` is idle time in a queue or pool, `transport` is moving work between places (gates,
 * hops), `defect` is work that failed and must be redone or thrown away.
 */
export type Waste = 'processing' | 'waiting' | 'transport' | 'defect';

/** The TPS namespaces; each builder sets its own as `genba.component`. */
export type GenbaComponent = 'jidoka' | 'kanban' | 'andon' | 'heijunka' | 'action';
