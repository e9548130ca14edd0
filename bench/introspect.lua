-- wrk script: RFC 7662 introspection of one valid access token by one confidential client, as a gateway does
-- for every request it forwards. BENCH_AUTH is the client's Authorization header, BENCH_TOKEN the token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
wrk.body = "token=" .. os.getenv("BENCH_TOKEN")

local inactive = 0

function response(status, headers, body)
    if not body:find('"active":true', 1, true) then
        inactive = inactive + 1
    end
end

function done(summary, latency, requests)
    io.write(string.format("inactive answers: %d\n", inactive))
end
