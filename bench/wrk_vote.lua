-- wrk script for bench/votes_http.py: POST one vote per request, each from a participant's own
-- session, and count the answers by status class. bench/votes_http.py runs it; by hand:
--
--   WRK_VOTE_PORTS=8765,8766 wrk -t2 -c32 -d15s --latency -s bench/wrk_vote.lua \
--       http://127.0.0.1:8765 -- MODE PATH ROWS_FILE THREADS RUN STATEMENTS CONVERSATION
--
-- MODE: api (JSON to /api/v1/conversations/<slug>/votes), web (a form to /c/<slug>/vote/) or
-- ceiling (a form of row ids to the bench's bare INSERT view). ROWS_FILE: one participant per
-- line, "sessionid csrf_cookie csrf_header participant_id". Thread t (of THREADS) takes the lines
-- whose index modulo THREADS is t and goes round-robin over them, so the requests in flight come
-- from distinct sessions. STATEMENTS: comma-separated statement numbers (api, web) or ids
-- (ceiling). Each vote's client_key is "RUN-<thread>-<n>": unique, so the database can count
-- the rows of one run. WRK_VOTE_PORTS (optional): thread t connects to the t-th port (modulo),
-- one thread per server process. done() prints one line starting "BENCH" with the counts and
-- latency percentiles in microseconds.

local threads = {}

function setup(thread)
   local tid = #threads
   thread:set("tid", tid)
   local ports = os.getenv("WRK_VOTE_PORTS")
   if ports and ports ~= "" then
      local list = {}
      for port in string.gmatch(ports, "%d+") do
         table.insert(list, port)
      end
      thread.addr = wrk.lookup(wrk.host, list[tid % #list + 1])[1]
   end
   table.insert(threads, thread)
end

local VOTES = { "agree", "disagree", "pass" }
local VALUES = { 1, -1, 0 }

function init(args)
   mode, path, run, conversation = args[1], args[2], args[5], args[7]
   local rows_file, thread_total = args[3], tonumber(args[4])
   statements = {}
   for value in string.gmatch(args[6], "%d+") do
      table.insert(statements, value)
   end
   rows = {}
   local index = 0
   for line in io.lines(rows_file) do
      if index % thread_total == tid then
         local session, cookie, header, participant = line:match("(%S+) (%S+) (%S+) (%S+)")
         table.insert(rows, { session = session, cookie = cookie, header = header,
                              participant = participant })
      end
      index = index + 1
   end
   next_row = 0
   sent, s2, s3, s4, s5 = 0, 0, 0, 0, 0
   math.randomseed(os.time() + 7919 * (tid + 1))
end

function request()
   next_row = next_row % #rows + 1
   local row = rows[next_row]
   sent = sent + 1
   local key = string.format("%s-%d-%d", run, tid, sent)
   local statement = statements[math.random(#statements)]
   local pick = math.random(3)
   if mode == "ceiling" then
      local body = string.format(
         "conversation=%s&participant=%s&statement=%s&value=%d&client_key=%s",
         conversation, row.participant, statement, VALUES[pick], key)
      return wrk.format("POST", path,
         { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
   end
   local headers = {
      ["Cookie"] = "sessionid=" .. row.session .. "; csrftoken=" .. row.cookie,
      ["X-CSRFToken"] = row.header,
   }
   local body
   if mode == "api" then
      headers["Content-Type"] = "application/json"
      body = string.format('{"statement": %s, "vote": "%s", "client_key": "%s"}',
                           statement, VOTES[pick], key)
   else
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      body = string.format("statement=%s&vote=%s&client_key=%s", statement, VOTES[pick], key)
   end
   return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
   if status < 300 then
      s2 = s2 + 1
   elseif status < 400 then
      s3 = s3 + 1
   elseif status < 500 then
      s4 = s4 + 1
   else
      s5 = s5 + 1
   end
end

function done(summary, latency, requests)
   local totals = { sent = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
   for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
         totals[name] = totals[name] + thread:get(name)
      end
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH duration_us=%d requests=%d sent=%d s2=%d s3=%d s4=%d s5=%d " ..
      "connect=%d read=%d write=%d timeout=%d p50=%d p90=%d p99=%d p999=%d max=%d\n",
      summary.duration, summary.requests, totals.sent, totals.s2, totals.s3, totals.s4,
      totals.s5, e.connect, e.read, e.write, e.timeout, latency:percentile(50),
      latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
