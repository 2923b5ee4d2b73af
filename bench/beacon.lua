-- wrk script: realistic beacons from many simulated clients behind a trusted proxy.
-- Each request gets another client IP (X-Forwarded-For), user agent and page.
local uas = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
}
local pages = { "/", "/symptomes/douleur-au-genou", "/pathologies/arthrose-du-genou",
  "/medecins/dr-claire-martin", "/specialites/cardiologie", "/prendre-rendez-vous" }
local refs = { "https://www.google.fr/", "", "https://l.facebook.com/", "https://www.bing.com/", "" }
local n = 0
math.randomseed(7)

request = function()
  n = n + 1
  local ip = string.format("%d.%d.%d.%d", 80 + n % 20, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 250 + 1)
  local page = pages[n % #pages + 1]
  local ref = refs[n % #refs + 1]
  local body = string.format(
    '{"n":"pageview","u":"https://bench.parcours.local%s?utm_source=x&id=%d","d":"bench.parcours.local","r":"%s"}',
    page, n, ref)
  wrk.headers["Content-Type"] = "text/plain"
  wrk.headers["User-Agent"] = uas[n % #uas + 1]
  wrk.headers["X-Forwarded-For"] = ip
  return wrk.format("POST", "/api/event", nil, body)
end
