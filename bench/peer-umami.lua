-- wrk script for bench/peer-umami.sh: the same simulated clients as bench/beacon.lua,
-- in the format Umami's own tracker sends (POST /api/send, JSON). Each request gets
-- another client IP (X-Forwarded-For), user agent and page, so, as with Parcours, every
-- beacon is a first hit: no x-umami-cache token, Umami looks up and creates a session.
-- The website id comes from the environment (UMAMI_WEBSITE_ID), set by the bench script;
-- BEACON_OFFSET starts the client numbering elsewhere, so that the warm-up's visitors are
-- not the measured run's (Umami would find their sessions instead of creating them).
local website = os.getenv("UMAMI_WEBSITE_ID") or "00000000-0000-0000-0000-000000000000"
local uas = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
}
local screens = { "1920x1080", "390x844", "412x915", "1440x900", "1536x864" }
local pages = { "/", "/symptomes/douleur-au-genou", "/pathologies/arthrose-du-genou",
  "/medecins/dr-claire-martin", "/specialites/cardiologie", "/prendre-rendez-vous" }
local refs = { "https://www.google.fr/", "", "https://l.facebook.com/", "https://www.bing.com/", "" }
local n = tonumber(os.getenv("BEACON_OFFSET") or "0")

request = function()
  n = n + 1
  local ip = string.format("%d.%d.%d.%d", 80 + n % 20, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 250 + 1)
  local page = pages[n % #pages + 1]
  local ref = refs[n % #refs + 1]
  local body = string.format(
    '{"type":"event","payload":{"website":"%s","hostname":"bench.parcours.local",' ..
    '"url":"%s?utm_source=x&id=%d","referrer":"%s","language":"fr-FR","screen":"%s","title":"Page %d"}}',
    website, page, n, ref, screens[n % #screens + 1], n % #pages)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = uas[n % #uas + 1]
  wrk.headers["X-Forwarded-For"] = ip
  return wrk.format("POST", "/api/send", nil, body)
end
