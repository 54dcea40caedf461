from creatormix.cli import main

main()
