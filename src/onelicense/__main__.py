from onelicense.cli import main

raise SystemExit(main())
