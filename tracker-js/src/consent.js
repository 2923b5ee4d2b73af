/* The only code that writes to storage: a random id, kept solely after the visitor consented. */

import { storage } from './config.js'

export const consentId = () => storage.parcours_cid

export const consent = (granted) => {
  if (granted) {
    storage.parcours_cid ||= Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
      (byte | 256).toString(16).slice(1),
    ).join('')
  } else {
    delete storage.parcours_cid
  }
}
