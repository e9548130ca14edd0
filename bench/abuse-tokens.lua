-- wrk script: a self-registered user's refresh loop that presents every new access token once. The file named
-- by BENCH_TOKENS holds one refresh token per chain, a few more than connections; each of wrk's BENCH_THREADS
-- threads (default 2) takes its own share, so no refresh token is presented twice. A refresh answer's access
-- token is presented to /api/greeting by the next request, its refresh token goes back to the pool.
local refresh = {}
local access = {}
local threads = 0

function setup(thread)
    thread:set("index", threads)
    threads = threads + 1
end

function init(args)
    local n = 0
    for line in io.lines(os.getenv("BENCH_TOKENS")) do
        if n % tonumber(os.getenv("BENCH_THREADS") or "2") == index then
            refresh[#refresh + 1] = line
        end
        n = n + 1
    end
end

function request()
    local token = table.remove(access)
    if token then
        return wrk.format("GET", "/api/greeting", { ["Authorization"] = "Bearer " .. token })
    end
    return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json" },
        '{"refresh_token":"' .. (table.remove(refresh) or "") .. '"}')
end

function response(status, headers, body)
    local successor = body:match('"refresh_token":"([^"]+)"')
    if successor then
        refresh[#refresh + 1] = successor
        access[#access + 1] = body:match('"access_token":"([^"]+)"')
    end
end
