/* fab's test: sort every sortable table by every column whose cells carry data-sort-value; write the orders */
mw.hook( 'wikipage.content' ).add( function ( $content ) {
	mw.loader.using( 'jquery.tablesorter' ).then( function () {
		var orders = [];
		$content.find( 'table.sortable' ).each( function ( t ) {
			var $table = $( this );
			if ( !$table.data( 'tablesorter' ) ) {
				$table.tablesorter();
			}
			$table.find( 'tr' ).first().children( 'th' ).each( function ( column ) {
				var $cells = $table.find( 'tbody tr:not(.sortbottom)' ).map( function () {
					return this.cells[ column ];
				} );
				if ( !$cells.length || $cells.filter( '[data-sort-value]' ).length !== $cells.length ) {
					return;
				}
				$( this ).trigger( 'click' );
				orders.push( { table: t, column: column, values: $table.find( 'tbody tr:not(.sortbottom)' ).map( function () {
					return this.cells[ column ].getAttribute( 'data-sort-value' );
				} ).get() } );
			} );
		} );
		$( '<pre id="fab-sorted">' ).text( JSON.stringify( orders ) ).appendTo( document.body );
	} );
} );
