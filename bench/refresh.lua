-- wrk script: each connection spends its refresh token and continues with the successor it receives.
-- Tokens come from the file named by the TOKENS environment variable, one per line.
local tokens = {}
local next_thread_id = 0

function setup(thread)
  thread:set("id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "1")
  local n = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if n % threads == id then
      tokens[#tokens + 1] = line
    end
    n = n + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.path = "/auth/refresh"
end

function request()
  local token = table.remove(tokens, 1)
  return wrk.format(nil, nil, nil, '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then
    tokens[#tokens + 1] = token
  end
end
