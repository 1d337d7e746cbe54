# dopt-test: --unsafe-fixes
from node:20-slim
cmd ["node", "server.js"]
