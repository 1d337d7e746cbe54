from optimizer.app.entry import main

main()
