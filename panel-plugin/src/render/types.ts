// The render options and the edge label function the render modules share: kept apart so that styles, scene and
// edgeLabels import them without importing each other (no import cycle).

/** What a node's colour comes from. */
export type ColorBy = 'kind' | 'status' | 'field';

/** What an edge's width (and its label) shows. */
export type EdgeMetric = 'none' | 'mainstat' | 'thickness';

/** The label of edge i, or undefined for none. */
export type EdgeLabelFn = (edge: number) => string | undefined;
