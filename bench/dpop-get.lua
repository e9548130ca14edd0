-- wrk script: GET /api/greeting with a DPoP-bound token, each request with a proof of its own (bench/dpop.sh makes
-- them ahead of the run: BENCH_PROOFS, one per line; BENCH_TOKEN, the access token). A request left without a proof
-- is sent without one and counts as a non-2xx answer.
local proofs = {}
local token

function init(args)
    token = os.getenv("BENCH_TOKEN")
    for line in io.lines(os.getenv("BENCH_PROOFS")) do
        proofs[#proofs + 1] = line
    end
end

function request()
    local proof = table.remove(proofs) or ""
    return wrk.format("GET", "/api/greeting", { ["Authorization"] = "DPoP " .. token, ["DPoP"] = proof })
end
