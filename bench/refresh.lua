-- wrk script: refresh-token rotation along live chains. The file named by BENCH_TOKENS holds one refresh
-- token per chain (a few more than connections: wrk builds requests ahead); every request spends one token,
-- and the successor in its response goes back to the pool, so each token is presented exactly once.
local pool = {}

function init(args)
    for line in io.lines(os.getenv("BENCH_TOKENS")) do
        pool[#pool + 1] = line
    end
end

function request()
    local token = table.remove(pool) or ""
    return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json" },
        '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
    local successor = body:match('"refresh_token":"([^"]+)"')
    if successor then
        pool[#pool + 1] = successor
    end
end
