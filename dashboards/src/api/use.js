/* Loading an answer in a view: the hook keeps the previous answer on screen while the
   next one loads, aborts answers nobody waits for, and reports errors as data. */

import { useEffect, useState, useCallback } from 'preact/hooks'

/** Runs `fn(signal)` whenever `deps` change; returns {data, error, loading, reload}. */
export function useApi(fn, deps) {
  const [tick, setTick] = useState(0)
  const [st, set] = useState({ loading: true, data: null, error: null })
  useEffect(() => {
    let live = true
    const ctl = new AbortController()
    set((s) => ({ ...s, loading: true, error: null }))
    Promise.resolve()
      .then(() => fn(ctl.signal))
      .then(
        (data) => live && set({ loading: false, data, error: null }),
        (error) => live && error?.name !== 'AbortError' && set({ loading: false, data: null, error }),
      )
    return () => {
      live = false
      ctl.abort()
    }
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { ...st, reload }
}

/** A form's action: `run(fn)` clears the last error, is busy until `fn` settles, and
    keeps the error it threw for the form to show. */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const run = async (fn) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return { busy, error, run }
}
