console.log("working")
