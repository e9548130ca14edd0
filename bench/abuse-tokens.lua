-- wrk script: a self-registered user's refresh loop that presents every new access token once. The file named
-- by BENCH_TOKENS holds one refresh token per chain; a refresh answer's access token is presented to
-- /api/greeting by the next request, its refresh token goes back to the pool.
local refresh = {}
local access = {}

function init(args)
    for line in io.lines(os.getenv("BENCH_TOKENS")) do
        refresh[#refresh + 1] = line
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
