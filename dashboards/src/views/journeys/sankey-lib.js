/* d3-sankey, imported with import() by sankey.js so that it loads only when a flow
   diagram is shown (and its chunk has a name that says what it is). */
export { sankey, sankeyLinkHorizontal } from 'd3-sankey'
