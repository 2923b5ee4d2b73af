/* htm bound to Preact: tagged templates instead of a JSX build step. Text set through
   templates is escaped by Preact; no view sets innerHTML. */
import { h } from 'preact'
import htm from 'htm'

export const html = htm.bind(h)
