-- wrk script: send requests in pipelined batches (16 deep by default;
-- wrk ... -s scripts/pipeline.lua URL -- DEPTH for another depth).
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format()
  end
  req = table.concat(r)
end

request = function()
  return req
end
