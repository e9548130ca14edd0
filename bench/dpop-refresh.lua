-- wrk script: refresh-token rotation of DPoP-bound sessions, as bench/refresh.lua does it for bearer ones, each
-- request with a proof of its own (BENCH_PROOFS, made ahead by bench/dpop.sh; BENCH_TOKENS, one refresh token per
-- chain).
local pool = {}
local proofs = {}

function init(args)
    for line in io.lines(os.getenv("BENCH_TOKENS")) do
        pool[#pool + 1] = line
    end
    for line in io.lines(os.getenv("BENCH_PROOFS")) do
        proofs[#proofs + 1] = line
    end
end

function request()
    local token = table.remove(pool) or ""
    local proof = table.remove(proofs) or ""
    return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json", ["DPoP"] = proof },
        '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
    local successor = body:match('"refresh_token":"([^"]+)"')
    if successor then
        pool[#pool + 1] = successor
    end
end
