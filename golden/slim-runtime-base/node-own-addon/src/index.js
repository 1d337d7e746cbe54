module.exports = require("./build/Release/fast.node");
