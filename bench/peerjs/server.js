// PeerJS server (npm package "peer") as the signaling anchor of bench/signaling.
// Usage: node --expose-gc server.js PORT
// Prints "listening http 127.0.0.1:PORT" when ready. GET /bench-stats answers the process memory after a full GC.
"use strict";
const { PeerServer } = require("peer");

const port = Number(process.argv[2] || 0);
let connected = 0;
const server = PeerServer(
  {
    host: "127.0.0.1",
    port,
    path: "/",
    key: "peerjs",
    // Defaults would refuse the load (5,000 clients) or drop silent clients after 90 s.
    concurrent_limit: 1000000,
    alive_timeout: 3600000,
  },
  (http) => console.log(`listening http 127.0.0.1:${http.address().port}`)
);
server.on("connection", () => connected++);
server.on("disconnect", () => connected--);
server.get("/bench-stats", (req, res) => {
  if (global.gc) global.gc();
  res.json({ connected, ...process.memoryUsage() });
});
