/**
 * The vocabularies a DCAT-AP document of the catalogue uses, as an inline JSON-LD
 * `@context` of prefixes. It is inline, never a remote context URL, because the
 * government networks that harvest the document are offline: a JSON-LD processor
 * must be able to expand it without fetching anything.
 */
export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcatap: 'http://data.europa.eu/r5r/',
  eli: 'http://data.europa.eu/eli/ontology#',
} as const;

/** A JSON value as a JSON-LD node carries it: literals, value objects, node references, lists. */
export type JsonLdValue = string | number | boolean | null | JsonLdValue[] | JsonLdNode;

/** A JSON-LD node (or value) object: properties named by compact IRIs such as `dct:title`. */
export interface JsonLdNode {
  [property: string]: JsonLdValue;
}

/**
 * A DCAT-AP (v2/v3) JSON-LD document of the whole catalogue: the inline context and
 * a flat `@graph` of top-level nodes (the `dcat:Catalog`, the publishing agents, the
 * theme concepts and one `dcat:Dataset` per catalogue entry). It is plain JSON, so
 * `JSON.stringify` gives the file that portals harvest.
 */
export interface DcatDocument {
  '@context': typeof DCAT_CONTEXT;
  '@graph': JsonLdNode[];
}
