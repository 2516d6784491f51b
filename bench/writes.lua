-- wrk script for make bench: the shipments desk at work. Each request
-- declares a one-tonne wheat consignment under FCC-COFCO-WHEAT or, once a
-- declaration has been answered, records that consignment's departure, so
-- that declarations and events alternate. TOKEN (editor:shipments) and
-- RUN_TAG come from the environment. At the end it prints
-- "DECLARED n EVENTS n OTHER n" summed over wrk's threads.
local threads = {}
local token = os.getenv("TOKEN")
local run = os.getenv("RUN_TAG") or "0"
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  k, declared, events, other, ready = 0, 0, 0, 0, {}
end

local function day(i)
  -- a day of 2025 from its index (1..360): months of 30 days are enough here
  return string.format("2025-%02d-%02d", math.floor((i - 1) / 30) % 12 + 1, (i - 1) % 28 + 1)
end

function request()
  local ref = table.remove(ready)
  if ref then
    local d = ref:match("@(.*)$")
    return wrk.format("POST", "/api/v1/shipments/event", headers,
      string.format('{"reference":"%s","event":"departed","at":"%sT08:00"}', ref:match("^(.-)@"), d))
  end
  k = k + 1
  return wrk.format("POST", "/api/v1/shipments/declare", headers, string.format(
    '{"reference":"BENCH-%s-%d-%d","exporter":"Food Contract Corporation","importer":"COFCO",' ..
    '"agreement":"FCC-COFCO-WHEAT","hs":"100199","net_t":"1","value_usd":"250","origin":"KAZ",' ..
    '"dest":"CHN","crossing":"ALTYNKOL","mode":"rail","documents":"phyto-cert","date":"%s"}',
    run, id, k, day(k % 360 + 1)))
end

function response(status, hdrs, body)
  local action, ref = body:match('"action":"([%w.]+)","id":"([^"]+)"')
  if status == 201 and action == "shipments.declare" then
    declared = declared + 1
    local n = tonumber(ref:match("(%d+)$"))
    table.insert(ready, ref .. "@" .. day(n % 360 + 1))
  elseif status == 201 and action == "shipments.event" then
    events = events + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local d, e, o = 0, 0, 0
  for _, t in ipairs(threads) do
    d, e, o = d + t:get("declared"), e + t:get("events"), o + t:get("other")
  end
  io.write(string.format("DECLARED %d EVENTS %d OTHER %d\n", d, e, o))
end
