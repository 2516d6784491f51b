-- wrk script: a mixed workload of reads (anonymous, with a viewer's token,
-- pages and API) and writes (one request in ten records an organisation
-- with an editor's token). Tokens come from the environment: READ_TOKEN,
-- WRITE_TOKEN; WRITE_EVERY (10) sets the share of writes. At the end it
-- prints "WRITES n CREATED n STATUS s:n ..." summed over wrk's threads.
local threads = {}
local read_token = os.getenv("READ_TOKEN")
local write_token = os.getenv("WRITE_TOKEN")
local every = tonumber(os.getenv("WRITE_EVERY") or "10")
local run = os.getenv("RUN_TAG") or "0"
local reads = {
  "/api/v1/trade/totals?reporter=KAZ&partner=CHN",
  "/api/v1/agreements/fulfilment?date=2024-12-31",
  "/api/v1/parties/list?country=CHN",
  "/api/v1/shipments/list?agreement=FCC-COFCO-WHEAT",
  "/healthz",
  "/",
  "/agreements",
}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  n, writes, created, statuses = 0, 0, 0, {}
end

function request()
  n = n + 1
  if n % every == 0 then
    writes = writes + 1
    local body = string.format('{"name":"Soak %s-%d-%d","country":"KAZ","kind":"private",' ..
      '"source":"soak test (synthetic)"}', run, id, n)
    return wrk.format("POST", "/api/v1/parties/add",
      { ["Authorization"] = "Bearer " .. write_token, ["Content-Type"] = "application/json" }, body)
  end
  local headers = {}
  if n % 2 == 0 then headers["Authorization"] = "Bearer " .. read_token end
  return wrk.format("GET", reads[(n % #reads) + 1], headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
  local w, c, all = 0, 0, {}
  for _, t in ipairs(threads) do
    w = w + t:get("writes")
    c = c + t:get("created")
    for s, k in pairs(t:get("statuses")) do all[s] = (all[s] or 0) + k end
  end
  local line = string.format("WRITES %d CREATED %d STATUS", w, c)
  for s, k in pairs(all) do line = line .. string.format(" %d:%d", s, k) end
  io.write(line .. "\n")
end
