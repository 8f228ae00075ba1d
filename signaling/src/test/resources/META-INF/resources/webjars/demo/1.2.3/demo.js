window.demo = "webjar";
