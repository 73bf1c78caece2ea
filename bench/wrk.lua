-- wrk script of the page benchmarks (bench/bench_wrk.py):
--   wrk -t1 -c4 -d10s -s bench/wrk.lua http://127.0.0.1:PORT -- PATHS_FILE [HOST]
-- GETs the paths listed in PATHS_FILE (one a line) round robin, each thread from its own offset, with the
-- site's Host header (the same on every node, as a load balancer passes it on); at the end prints one line,
-- "WRK {json}": the counts, the errors and the whole latency histogram ([microseconds, count] pairs), so the
-- runs against several nodes at once can be merged exactly.
local paths = {}
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  counter = offset or 0
  wrk.headers["Host"] = args[2] or "127.0.0.1"
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local pairs_ = {}
  for i = 1, #latency do
    local value, count = latency(i)
    pairs_[#pairs_ + 1] = string.format("[%d,%d]", value, count)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"histogram":[%s]}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(pairs_, ",")))
end
