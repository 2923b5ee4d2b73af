/* Shared state for the core script, read once from the tracker's own <script> tag. */

// Local aliases let the minifier shorten globals that are used many times.
export const win = window
export const doc = document
export const loc = location
export const nav = navigator

export const script = doc.currentScript
export const cfg = script.dataset

// Beacons go to the origin that served the script, so self-hosting on any domain works without setup.
export const endpoint = cfg.api || new URL('/api/event', script.src)

// `1` rather than `true` because it is sent verbatim as the `h` beacon key.
export const hashMode = 'hash' in cfg ? 1 : undefined

// Storage can throw (blocked cookies, sandboxed iframes); a plain object keeps the code paths identical.
export let storage
try {
  storage = localStorage
} catch {
  storage = {}
}

export const currentPath = () => loc.pathname + (hashMode ? loc.hash : '')
